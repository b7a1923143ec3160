/* device.h: internals shared by the device parse, format and default code */
#pragma once

#include "domain.h"

/* Internal format flag: leave out <alias> and <address> (for matching). */
#define DEVICE_FORMAT_NOINFO (1u << 30)

/* Extra string tables (values validated at parse, kept as strings). */
extern const char *const deviceControllerTypeNames[];
extern const char *const deviceInputTypeNames[];
extern const char *const deviceInputBusNames[];
extern const char *const deviceWatchdogActionNames[];
extern const char *const deviceRngBackendNames[];
extern const char *const deviceTpmBackendNames[];
extern const char *const deviceHostdevModeNames[];
extern const char *const deviceVideoModelNames[];
extern const char *const deviceSoundModelNames[];
extern const char *const deviceMemballoonModelNames[];

void deviceDiskFree(DiskDef *disk);
void deviceControllerFree(ControllerDef *ctrl);
void deviceNetFree(NetDef *net);
void deviceChrFree(ChrDef *chr);
void deviceGraphicsFree(GraphicsDef *gr);
void deviceVideoFree(VideoDef *video);
void deviceInputFree(InputDef *input);
void deviceSoundFree(SoundDef *sound);
void deviceMemballoonFree(MemballoonDef *mb);
void deviceWatchdogFree(WatchdogDef *wd);
void deviceRngFree(RngDef *rng);
void deviceTpmFree(TpmDef *tpm);
void deviceHostdevFree(HostdevDef *hd);
/* Free the device held by DEV (not DEV itself); NULL-safe. */
void deviceDataFree(DomainDevice *dev);

void deviceInfoClear(DeviceInfo *info);
/* Read <alias>, <boot>, <address> children of NODE. FLAGS as for
 * domainDefParse. 0 or -1 with an error. */
int deviceInfoParse(XNode *node, DeviceInfo *info, unsigned int flags);
/* Write <boot>, <alias>, <address> lines. FLAGS: VIR_DOMAIN_XML_*. */
void deviceInfoFormat(Buf *b, const DeviceInfo *info, unsigned int flags);

/* Index of a disk name such as "vdb" or "sdaa" (0-based), or -1. */
int deviceDiskNameIndex(const char *name);
/* The bus implied by a target dev prefix (hd: ide, vd: virtio, ...). */
DiskBus deviceDiskBusFromName(const char *name);

/* Parsers for one device element NODE (its name already matched). Each
 * returns a new device or NULL with an error set. */
DiskDef *deviceParseDisk(XNode *node, unsigned int flags);
ControllerDef *deviceParseController(XNode *node, unsigned int flags);
NetDef *deviceParseNet(XNode *node, unsigned int flags);
ChrDef *deviceParseChr(XNode *node, ChrKind kind, unsigned int flags);
GraphicsDef *deviceParseGraphics(XNode *node, unsigned int flags);
VideoDef *deviceParseVideo(XNode *node, unsigned int flags);
InputDef *deviceParseInput(XNode *node, unsigned int flags);
SoundDef *deviceParseSound(XNode *node, unsigned int flags);
MemballoonDef *deviceParseMemballoon(XNode *node, unsigned int flags);
WatchdogDef *deviceParseWatchdog(XNode *node, unsigned int flags);
RngDef *deviceParseRng(XNode *node, unsigned int flags);
TpmDef *deviceParseTpm(XNode *node, unsigned int flags);
HostdevDef *deviceParseHostdev(XNode *node, unsigned int flags);
/* Parse any device element into DEV; 0, 1 when NODE is not a device we
 * model (DEV untouched), -1 with an error. */
int deviceParseAny(XNode *node, unsigned int flags, DomainDevice *dev);

/* Formatters; FLAGS are VIR_DOMAIN_XML_* flags. */
void deviceFormatDisk(Buf *b, const DiskDef *disk, unsigned int flags);
void deviceFormatController(Buf *b, const ControllerDef *ctrl,
                            unsigned int flags);
void deviceFormatNet(Buf *b, const NetDef *net, unsigned int flags);
void deviceFormatChr(Buf *b, const ChrDef *chr, unsigned int flags);
void deviceFormatGraphics(Buf *b, const GraphicsDef *gr, unsigned int flags);
void deviceFormatVideo(Buf *b, const VideoDef *video, unsigned int flags);
void deviceFormatInput(Buf *b, const InputDef *input, unsigned int flags);
void deviceFormatSound(Buf *b, const SoundDef *sound, unsigned int flags);
void deviceFormatMemballoon(Buf *b, const MemballoonDef *mb,
                            unsigned int flags);
void deviceFormatWatchdog(Buf *b, const WatchdogDef *wd, unsigned int flags);
void deviceFormatRng(Buf *b, const RngDef *rng, unsigned int flags);
void deviceFormatTpm(Buf *b, const TpmDef *tpm, unsigned int flags);
void deviceFormatHostdev(Buf *b, const HostdevDef *hd, unsigned int flags);
void deviceFormatAny(Buf *b, const DomainDevice *dev, unsigned int flags);

/* Defaults for one device within DEF (DEF may be NULL for a lone device);
 * 0 or -1 with an error. */
int deviceDefaults(const DomainDef *def, DomainDevice *dev);
