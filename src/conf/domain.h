/* domain.h: the domain XML model shared by every driver, and its API */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "xtree.h"
#include "xmlconf.h"

#define DOMAIN_UUID_LEN 16
#define DOMAIN_MAC_LEN 6

/* Extra parse flag (beyond VIR_DOMAIN_DEFINE_VALIDATE): the XML is live
 * status, so keep live-only parts (id, aliases, pty paths, vnet names). */
#define DOMAIN_PARSE_LIVE (1u << 16)

/* ---- device addresses and common device info ---- */

typedef enum {
    ADDR_NONE = 0,
    ADDR_PCI,
    ADDR_DRIVE,
    ADDR_VIRTIO_SERIAL,
    ADDR_CCID,
    ADDR_USB,
    ADDR_OTHER,            /* any other type: attributes kept in extra */
} AddressType;

typedef struct {
    AddressType type;
    char *typeName;        /* as written, for ADDR_OTHER */
    unsigned int domain, bus, slot, function;      /* pci (bus: all) */
    unsigned int controller, target, unit;         /* drive */
    unsigned int port;                             /* virtio-serial */
    Tristate multifunction;                        /* pci */
    XExtra extra;          /* other attributes (usb port, iobase, ...) */
} DeviceAddress;

typedef struct {
    char *alias;           /* <alias name/>: live only unless "ua-" */
    unsigned int bootOrder; /* <boot order/>, 0 when absent */
    DeviceAddress addr;
} DeviceInfo;

/* ---- disks ---- */

typedef enum {
    DISK_TYPE_FILE = 0, DISK_TYPE_BLOCK, DISK_TYPE_DIR, DISK_TYPE_NETWORK,
    DISK_TYPE_VOLUME, DISK_TYPE_NVME, DISK_TYPE_VHOSTUSER, DISK_TYPE_LAST
} DiskType;

typedef enum {
    DISK_DEVICE_DISK = 0, DISK_DEVICE_CDROM, DISK_DEVICE_FLOPPY,
    DISK_DEVICE_LUN, DISK_DEVICE_LAST
} DiskDevice;

typedef enum {
    DISK_BUS_NONE = 0, DISK_BUS_IDE, DISK_BUS_FDC, DISK_BUS_SCSI,
    DISK_BUS_VIRTIO, DISK_BUS_XEN, DISK_BUS_USB, DISK_BUS_UML,
    DISK_BUS_SATA, DISK_BUS_SD, DISK_BUS_LAST
} DiskBus;

/* The six throttles drivers set through virDomainSetBlockIoTune; other
 * <iotune> children are carried in extra. 0 means not set. */
typedef struct {
    unsigned long long totalBytesSec, readBytesSec, writeBytesSec;
    unsigned long long totalIopsSec, readIopsSec, writeIopsSec;
    XExtra extra;
    bool present;
} DiskIotune;

typedef struct {
    DiskType type;
    DiskDevice device;
    char *driverName;      /* <driver name='qemu'> */
    char *driverType;      /* <driver type='qcow2'> */
    XExtra driverExtra;    /* cache, io, discard, ... */
    char *srcPath;         /* file / dev / dir attribute per type */
    bool hasSource;        /* <source> present (empty cdrom has none) */
    XExtra srcExtra;       /* protocol, name, pool, hosts, ... */
    XNode *backingStore;   /* carried as written */
    char *dst;             /* <target dev> */
    DiskBus bus;           /* <target bus>, defaulted from the dev name */
    XExtra targetExtra;    /* tray, removable, ... */
    bool readonly, shareable, transient;
    DiskIotune iotune;
    char *serial;
    DeviceInfo info;
    XExtra extra;
} DiskDef;

/* ---- controllers ---- */

typedef struct {
    char *type;            /* ide, scsi, sata, usb, pci, virtio-serial, ... */
    int index;
    char *model;           /* NULL when absent */
    DeviceInfo info;
    XExtra extra;          /* ports, vectors, <driver>, <target>, ... */
} ControllerDef;

/* ---- network interfaces ---- */

typedef enum {
    NET_TYPE_USER = 0, NET_TYPE_ETHERNET, NET_TYPE_VHOSTUSER,
    NET_TYPE_SERVER, NET_TYPE_CLIENT, NET_TYPE_MCAST, NET_TYPE_NETWORK,
    NET_TYPE_BRIDGE, NET_TYPE_INTERNAL, NET_TYPE_DIRECT, NET_TYPE_HOSTDEV,
    NET_TYPE_UDP, NET_TYPE_VDPA, NET_TYPE_NULL, NET_TYPE_VDS, NET_TYPE_LAST
} NetType;

typedef struct {
    unsigned long long average, peak, burst, floor;    /* 0: not set */
    bool present;
} NetRate;

typedef struct {
    NetType type;
    unsigned char mac[DOMAIN_MAC_LEN];
    bool macSet;
    char *source;          /* network name, bridge name or direct dev */
    char *sourceMode;      /* direct: vepa, bridge, private, passthrough */
    XExtra srcExtra;       /* portgroup, ... */
    char *model;           /* <model type> */
    char *ifname;          /* <target dev>; vnet* names are live only */
    char *linkState;       /* <link state='up|down'> */
    NetRate inbound, outbound;
    DeviceInfo info;
    XExtra extra;          /* driver, virtualport, mtu, ... */
} NetDef;

/* ---- serial, parallel, console, channel ---- */

typedef enum {
    CHR_SERIAL = 0, CHR_PARALLEL, CHR_CONSOLE, CHR_CHANNEL, CHR_KIND_LAST
} ChrKind;

typedef enum {
    CHR_TYPE_NULL = 0, CHR_TYPE_VC, CHR_TYPE_PTY, CHR_TYPE_DEV,
    CHR_TYPE_FILE, CHR_TYPE_PIPE, CHR_TYPE_STDIO, CHR_TYPE_UDP,
    CHR_TYPE_TCP, CHR_TYPE_UNIX, CHR_TYPE_SPICEVMC, CHR_TYPE_SPICEPORT,
    CHR_TYPE_NMDM, CHR_TYPE_QEMU_VDAGENT, CHR_TYPE_DBUS, CHR_TYPE_LAST
} ChrType;

typedef struct {
    ChrKind kind;
    ChrType type;
    char *srcPath;         /* path for pty (live), dev, file, pipe, unix */
    char *srcMode;         /* unix/tcp: bind or connect */
    XExtra srcExtra;       /* host, service, append, ... */
    char *targetType;      /* serial/console/channel target type */
    char *targetName;      /* channel: org.qemu.guest_agent.0, ... */
    int targetPort;        /* -1 when absent */
    XExtra targetExtra;    /* state, address, <model> ... */
    DeviceInfo info;
    XExtra extra;          /* <protocol>, <log>, ... */
} ChrDef;

/* ---- graphics, video, input, sound ---- */

typedef enum {
    GRAPHICS_SDL = 0, GRAPHICS_VNC, GRAPHICS_RDP, GRAPHICS_DESKTOP,
    GRAPHICS_SPICE, GRAPHICS_EGL_HEADLESS, GRAPHICS_DBUS, GRAPHICS_LAST
} GraphicsType;

typedef struct {
    GraphicsType type;
    int port;              /* -1: not chosen yet */
    int tlsPort;           /* spice; -1 when absent */
    Tristate autoport;
    char *listen;          /* listen attribute (address) */
    char *passwd;          /* shown only with VIR_DOMAIN_XML_SECURE */
    char *keymap;
    XExtra extra;          /* <listen> children, passwdValidTo, ... */
} GraphicsDef;

typedef struct {
    char *model;           /* <model type> vga, cirrus, qxl, virtio, ... */
    unsigned int vram;     /* KiB, 0 when absent */
    unsigned int heads;    /* 0 when absent */
    Tristate primary;
    XExtra modelExtra;
    DeviceInfo info;
    XExtra extra;
} VideoDef;

typedef struct {
    char *type;            /* mouse, tablet, keyboard, passthrough, evdev */
    char *bus;             /* ps2, usb, virtio, xen, none; NULL absent */
    DeviceInfo info;
    XExtra extra;
} InputDef;

typedef struct {
    char *model;
    DeviceInfo info;
    XExtra extra;
} SoundDef;

/* ---- memballoon, watchdog, rng, tpm, hostdev ---- */

typedef struct {
    char *model;           /* virtio, xen, none */
    int statsPeriod;       /* <stats period>, -1 when absent */
    DeviceInfo info;
    XExtra extra;
} MemballoonDef;

typedef struct {
    char *model;
    char *action;          /* NULL when absent */
    DeviceInfo info;
    XExtra extra;
} WatchdogDef;

typedef struct {
    char *model;           /* virtio */
    char *backendModel;    /* random, egd, builtin */
    char *backendPath;     /* text of <backend model='random'> */
    XExtra backendExtra;
    DeviceInfo info;
    XExtra extra;          /* <rate>, <driver> */
} RngDef;

typedef struct {
    char *model;           /* tpm-tis, tpm-crb, ...; NULL absent */
    char *backendType;     /* passthrough, emulator, external */
    char *backendVersion;
    XExtra backendExtra;   /* <device path>, <encryption>, ... */
    DeviceInfo info;
    XExtra extra;
} TpmDef;

/* Host devices are parsed and kept: only mode/type/managed are typed. */
typedef struct {
    char *mode;            /* subsystem, capabilities */
    char *type;            /* pci, usb, scsi, mdev, ... */
    Tristate managed;
    DeviceInfo info;
    XExtra extra;          /* <source>, <driver>, ... */
} HostdevDef;

typedef enum {
    DEVICE_DISK = 0, DEVICE_CONTROLLER, DEVICE_NET, DEVICE_CHR,
    DEVICE_GRAPHICS, DEVICE_VIDEO, DEVICE_INPUT, DEVICE_SOUND,
    DEVICE_MEMBALLOON, DEVICE_WATCHDOG, DEVICE_RNG, DEVICE_TPM,
    DEVICE_HOSTDEV, DEVICE_LAST
} DeviceKind;

/* One device of any kind, as parsed alone for attach/detach/update. */
typedef struct {
    DeviceKind kind;
    union {
        void *ptr;
        DiskDef *disk;
        ControllerDef *controller;
        NetDef *net;
        ChrDef *chr;
        GraphicsDef *graphics;
        VideoDef *video;
        InputDef *input;
        SoundDef *sound;
        MemballoonDef *memballoon;
        WatchdogDef *watchdog;
        RngDef *rng;
        TpmDef *tpm;
        HostdevDef *hostdev;
    } data;
} DomainDevice;

/* ---- the domain ---- */

typedef enum {
    LIFECYCLE_DESTROY = 0, LIFECYCLE_RESTART, LIFECYCLE_RESTART_RENAME,
    LIFECYCLE_PRESERVE, LIFECYCLE_COREDUMP_DESTROY,
    LIFECYCLE_COREDUMP_RESTART, LIFECYCLE_LAST
} LifecycleAction;

typedef struct {
    unsigned int vcpu;     /* or iothread id */
    char *cpuset;
} CpuPin;

typedef struct {
    unsigned long long shares;                 /* 0: not set */
    unsigned long long period, globalPeriod, emulatorPeriod, iothreadPeriod;
    long long quota, globalQuota, emulatorQuota, iothreadQuota;
    CpuPin *vcpupin;
    size_t nvcpupin;
    char *emulatorpin;
    CpuPin *iothreadpin;
    size_t niothreadpin;
    XExtra extra;          /* vcpusched, cachetune, ... */
    bool present;
} CpuTune;

typedef struct {
    char *path;
    unsigned int weight;
    unsigned long long readBytesSec, writeBytesSec;
    unsigned long long readIopsSec, writeIopsSec;
} BlkioDevice;

typedef struct {
    unsigned int weight;   /* 0: not set */
    BlkioDevice *devices;
    size_t ndevices;
    bool present;
} BlkioTune;

typedef struct {
    /* KiB; 0 means not set */
    unsigned long long hardLimit, softLimit, swapHardLimit, minGuarantee;
    bool present;
} MemTune;

typedef struct {
    char *mode;            /* strict, preferred, interleave, restrictive */
    char *nodeset;
    char *placement;       /* static, auto */
    XExtra extra;          /* <memnode> */
    bool present;
} NumaTune;

typedef enum {
    BOOT_FD = 0, BOOT_CDROM, BOOT_HD, BOOT_NETWORK, BOOT_LAST
} BootDevice;

typedef struct {
    char *type;            /* hvm, linux, xen, exe */
    char *arch, *machine;
    BootDevice *boot;
    size_t nboot;
    Tristate bootmenu;
    XExtra bootmenuExtra;  /* timeout */
    char *kernel, *initrd, *cmdline, *dtb;
    char *loader;          /* path text of <loader> */
    bool hasLoader;
    Tristate loaderReadonly, loaderSecure;
    char *loaderType;      /* rom, pflash */
    XExtra loaderExtra;
    char *nvram;           /* path text of <nvram> */
    bool hasNvram;
    char *nvramTemplate;
    XExtra nvramExtra;
    XExtra typeExtra;      /* other attributes of <type> */
    XExtra extra;          /* smbios, bios, init, ... */
} OsDef;

typedef struct {
    char *mode;            /* custom, host-model, host-passthrough, maximum */
    char *match, *check, *migratable;
    char *model;           /* <model> text */
    char *modelFallback;
    XExtra modelExtra;
    XExtra extra;          /* topology, feature, numa, cache, ... */
    bool present;
} CpuDef;

typedef struct {
    char *offset;          /* utc, localtime, timezone, variable */
    XExtra extra;          /* adjustment, timezone, <timer> ... */
    bool present;
} ClockDef;

typedef struct {
    char *virtType;        /* qemu, kvm, test, ... */
    int id;                /* -1 when not running */
    char *name;
    unsigned char uuid[DOMAIN_UUID_LEN];
    bool hasGenid;
    unsigned char genid[DOMAIN_UUID_LEN];
    char *title;
    char *description;
    XNode **metadata;      /* each with href (and prefix) set */
    size_t nmetadata;

    unsigned long long memory;     /* <memory>, KiB */
    unsigned long long curMemory;  /* <currentMemory>, KiB */
    unsigned long long maxMemory;  /* <maxMemory>, KiB, 0 absent */
    unsigned int memorySlots;
    XExtra memoryExtra;            /* dumpCore, ... */

    unsigned int vcpus;            /* <vcpu> maximum */
    unsigned int curVcpus;         /* current= */
    char *vcpuPlacement;
    char *cpuset;
    unsigned int iothreads;
    CpuTune cputune;
    MemTune memtune;
    BlkioTune blkiotune;
    NumaTune numatune;
    OsDef os;
    CpuDef cpu;
    ClockDef clock;
    XNode *features;               /* carried */
    XNode *pm;                     /* carried */
    XNode *perf;                   /* carried */
    LifecycleAction onPoweroff, onReboot, onCrash;

    char *emulator;
    DiskDef **disks;               size_t ndisks;
    ControllerDef **controllers;   size_t ncontrollers;
    NetDef **nets;                 size_t nnets;
    ChrDef **serials;              size_t nserials;
    ChrDef **parallels;            size_t nparallels;
    ChrDef **consoles;             size_t nconsoles;
    ChrDef **channels;             size_t nchannels;
    InputDef **inputs;             size_t ninputs;
    TpmDef **tpms;                 size_t ntpms;
    GraphicsDef **graphics;        size_t ngraphics;
    SoundDef **sounds;             size_t nsounds;
    VideoDef **videos;             size_t nvideos;
    HostdevDef **hostdevs;         size_t nhostdevs;
    WatchdogDef **watchdogs;       size_t nwatchdogs;
    MemballoonDef *memballoon;
    RngDef **rngs;                 size_t nrngs;

    XNode **carried;     /* known elements kept as written (vcpus, ...) */
    size_t ncarried;
    XNode **unknown;     /* unknown top-level elements (kept) */
    size_t nunknown;
    XNode **devUnknown;  /* unknown/carried <devices> children (kept) */
    size_t ndevUnknown;
} DomainDef;

/* Parse a <domain> document. FLAGS: VIR_DOMAIN_DEFINE_VALIDATE rejects
 * unknown elements (VIR_ERR_XML_INVALID_SCHEMA) instead of keeping them;
 * DOMAIN_PARSE_LIVE keeps live-only parts. Defaults are filled in and the
 * definition checked. Returns a new definition (caller frees with
 * domainDefFree), or NULL with an error set (VIR_ERR_XML_ERROR for malformed
 * XML, VIR_ERR_XML_DETAIL / VIR_ERR_CONFIG_UNSUPPORTED for semantic ones). */
DomainDef *domainDefParse(const char *xml, unsigned int flags);
/* Format DEF. FLAGS: VIR_DOMAIN_XML_SECURE shows passwords,
 * VIR_DOMAIN_XML_INACTIVE leaves out live-only parts. Caller owns the
 * string; never fails. */
char *domainDefFormat(const DomainDef *def, unsigned int flags);
void domainDefFree(DomainDef *def);
/* Deep copy of DEF, field by field (no format and parse): the copy shares
 * nothing with DEF and formats the same. Caller owns it; never fails (an
 * owned pointer added to the model must be copied in domain_copy.c). */
DomainDef *domainDefCopy(const DomainDef *def);
/* Fill in defaults and check DEF (used after drivers edit a definition).
 * Returns 0, or -1 with an error set. */
int domainDefPostParse(DomainDef *def);

/* Parse one device element (<disk>, <interface>, ...). DEF (may be NULL)
 * supplies context for defaults (MAC uniqueness, disk addresses). Returns a
 * new device (free with domainDeviceFree) or NULL with an error set. */
DomainDevice *domainDeviceParse(const char *xml, const DomainDef *def,
                                unsigned int flags);
char *domainDeviceFormat(const DomainDevice *dev, unsigned int flags);
void domainDeviceFree(DomainDevice *dev);
/* Deep copy of DEV and its device, like domainDefCopy; never fails. */
DomainDevice *domainDeviceCopy(const DomainDevice *dev);
/* Add DEV's device to DEF, filling its defaults first. On success DEF owns
 * the device and DEV itself is freed; on -1 (VIR_ERR_OPERATION_FAILED for a
 * duplicate disk target or a second memballoon) the caller keeps DEV. */
int domainDeviceAttach(DomainDef *def, DomainDevice *dev);
/* Index in DEF of the device matching DEV (disk: target; net: MAC;
 * others: alias, else identical XML), or -1 with VIR_ERR_DEVICE_MISSING. */
int domainDeviceFind(const DomainDef *def, const DomainDevice *dev);
/* Remove and return device IDX of DEV's kind from DEF (caller owns it).
 * For DEVICE_CHR, the list is chosen by DEV's chr kind. */
DomainDevice *domainDeviceDetach(DomainDef *def, const DomainDevice *dev,
                                 int idx);

/* Lookups; each returns an index or -1 (no error reported). */
int domainFindDisk(const DomainDef *def, const char *dstOrPath);
int domainFindNet(const DomainDef *def, const char *macOrIfname);
/* Find any device by alias; fills *OUT (borrowed pointer) and returns its
 * index in its list, -1 if none. */
int domainFindByAlias(const DomainDef *def, const char *alias,
                      DomainDevice *out);

/* Called by domainDeviceForEach: DEV borrows one device, IDX is its index
 * in its list (0 for the memballoon). Nonzero stops the walk. */
typedef int (*DomainDeviceFn)(DomainDevice *dev, size_t idx, void *opaque);
/* Call FN for every device of DEF, list by list in the model's order
 * (disks, controllers, nets, serials, parallels, consoles, channels,
 * inputs, tpms, graphics, sounds, videos, hostdevs, watchdogs, memballoon,
 * rngs). Returns FN's first nonzero value, or 0. */
int domainDeviceForEach(const DomainDef *def, DomainDeviceFn fn,
                        void *opaque);

/* Metadata (virDomainGetMetadata / SetMetadata for ELEMENT type). */
/* The element kept for URI, formatted; caller owns; NULL with
 * VIR_ERR_NO_DOMAIN_METADATA when absent. */
char *domainMetadataGet(const DomainDef *def, const char *uri);
/* Replace (or add) the element for URI with XML, under prefix KEY.
 * Returns 0 or -1 with an error (malformed XML, missing key). */
int domainMetadataSet(DomainDef *def, const char *uri, const char *key,
                      const char *xml);
/* Remove the element for URI; returns true if one was there. */
bool domainMetadataRemove(DomainDef *def, const char *uri);
/* Check the arguments of virDomainSetMetadata (SET) or GetMetadata against
 * the metadata TYPE (VIR_DOMAIN_METADATA_*): VIR_ERR_INVALID_ARG naming the
 * mistake. 0 or -1. */
int domainMetadataCheckArgs(int type, const char *metadata, const char *key,
                            const char *uri, bool set);
/* Apply one virDomainSetMetadata change (checked arguments) to DEF; a NULL
 * DEF is left alone. 0 or -1. */
int domainMetadataApply(DomainDef *def, int type, const char *metadata,
                        const char *key, const char *uri);

/* Format a MAC address as aa:bb:cc:dd:ee:ff into OUT (18 bytes). */
void domainMacFormat(const unsigned char *mac, char *out);
/* Parse a MAC address; 0 or -1 (no error reported). */
int domainMacParse(const char *str, unsigned char *mac);

/* Name tables for the typed enums (NULL-terminated, for enumtab). */
extern const char *const domainDiskTypeNames[];
extern const char *const domainDiskDeviceNames[];
extern const char *const domainDiskBusNames[];
extern const char *const domainNetTypeNames[];
extern const char *const domainChrKindNames[];
extern const char *const domainChrTypeNames[];
extern const char *const domainGraphicsTypeNames[];
extern const char *const domainLifecycleNames[];
extern const char *const domainBootNames[];
extern const char *const domainDeviceKindNames[];
