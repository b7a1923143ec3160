/* test-testdriver-save.c: save images, managed save and core dumps */
#include "test-testdriver.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/vireo-td-save-XXXXXX";

static char *
path(const char *name)
{
    char *p = NULL;

    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    return p;
}

static long
fileSize(const char *p)
{
    struct stat st;

    return stat(p, &st) < 0 ? -1 : (long)st.st_size;
}

static int
dirEntries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static void
writeBytes(const char *p, const void *data, size_t len)
{
    FILE *fp = fopen(p, "w");

    fwrite(data, 1, len, fp);
    fclose(fp);
}

static char *
readAll(const char *p, long *len)
{
    FILE *fp = fopen(p, "r");
    long n = fileSize(p);
    char *buf = calloc(1, n > 0 ? n + 1 : 1);

    if (fp && n > 0 && fread(buf, 1, n, fp) != (size_t)n)
        n = -1;
    if (fp)
        fclose(fp);
    *len = n;
    return buf;
}

/* ---- save and restore ---- */

static void
saveRestore(void)
{
    virConnectPtr conn = tdOpen(), other;
    virDomainPtr dom = virDomainLookupByName(conn, "test"), od;
    char *img = path("test.save"), *xml;

    TAP_INT(virDomainSave(dom, img), 0, "save the running domain");
    TD_EVENTS("save", { VIR_DOMAIN_EVENT_STOPPED,
                        VIR_DOMAIN_EVENT_STOPPED_SAVED });
    tdState(dom, OFF, VIR_DOMAIN_SHUTOFF_SAVED, "saved");
    TAP_INT(virDomainGetID(dom), (unsigned int)-1, "id cleared");
    TAP_OK(fileSize(img) > 32, "the image exists");
    TAP_INT(dirEntries(), 1, "no temporary file left");
    TAP_INT(virDomainSave(dom, img), -1, "save an inactive domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "inactive: OP_INVALID");

    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    TAP_OK(xml && strstr(xml, "<name>test</name>"), "image XML");
    free(xml);

    TAP_INT(virDomainRestore(conn, img), 0, "restore");
    TD_EVENTS("restore", { VIR_DOMAIN_EVENT_STARTED,
                           VIR_DOMAIN_EVENT_STARTED_RESTORED });
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_RESTORED, "restored");
    TAP_INT(virDomainIsPersistent(dom), 1, "still persistent");
    TAP_INT(virDomainRestore(conn, img), -1, "restore over a running domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "already active: OP_INVALID");

    /* another connection: the domain exists there too, running */
    other = virConnectOpen("test:///default");
    od = virDomainLookupByName(other, "test");
    TAP_INT(virDomainRestore(other, img), -1, "restore in a host where it runs");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    virDomainUndefine(od);
    virDomainDestroy(od);
    TAP_INT(virDomainRestore(other, img), 0,
            "restore in another connection without the domain");
    virDomainFree(od);
    od = virDomainLookupByName(other, "test");
    TAP_INT(virDomainIsPersistent(od), 0, "restored there as transient");
    tdState(od, RUN, VIR_DOMAIN_RUNNING_RESTORED, "restored elsewhere");
    virDomainFree(od);
    virConnectClose(other);

    /* paused saves, and flags choosing the state */
    TAP_INT(virDomainSuspend(dom), 0, "pause");
    TAP_INT(virDomainSaveFlags(dom, img, NULL, 0), 0, "save paused");
    tdReset();
    TAP_INT(virDomainRestoreFlags(conn, img, NULL, 0), 0, "restore");
    TD_EVENTS("restore paused",
              { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED },
              { VIR_DOMAIN_EVENT_SUSPENDED,
                VIR_DOMAIN_EVENT_SUSPENDED_RESTORED });
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "restored paused");
    TAP_INT(virDomainSaveFlags(dom, img, NULL, VIR_DOMAIN_SAVE_RUNNING |
                               VIR_DOMAIN_SAVE_BYPASS_CACHE), 0,
            "save paused, to restore running");
    TAP_INT(virDomainRestore(conn, img), 0, "restore");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_RESTORED, "SAVE_RUNNING honoured");
    TAP_INT(virDomainSaveFlags(dom, img, NULL, VIR_DOMAIN_SAVE_RUNNING |
                               VIR_DOMAIN_SAVE_PAUSED), -1,
            "running and paused together");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSaveFlags(dom, img, NULL, 1u << 20), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainRestoreFlags(conn, img, NULL, VIR_DOMAIN_SAVE_PAUSED), -1,
            "restore with a domain running");
    TAP_INT(virDomainSave(dom, img), 0, "save");
    TAP_INT(virDomainRestoreFlags(conn, img, NULL, VIR_DOMAIN_SAVE_PAUSED), 0,
            "restore with SAVE_PAUSED");
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "SAVE_PAUSED honoured");
    virDomainResume(dom);

    /* replacement XML */
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    memcpy(strstr(xml, "2097152"), "1048576", 7);
    TAP_INT(virDomainSaveFlags(dom, img, xml, 0), 0, "save with dxml");
    TAP_INT(virDomainRestore(conn, img), 0, "restore");
    TAP_OK(tdXMLHas(dom, 0, "1048576"), "the replacement XML runs");
    virDomainDestroy(dom);
    memcpy(strstr(xml, "1048576"), "1000000", 7);
    TAP_INT(virDomainSaveImageDefineXML(conn, img, xml,
                                        VIR_DOMAIN_SAVE_PAUSED), 0,
            "SaveImageDefineXML");
    free(xml);
    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    TAP_OK(xml && strstr(xml, "1000000"), "the image has the new XML");
    free(xml);
    xml = tdXML("other", 1, NULL);
    TAP_INT(virDomainSaveImageDefineXML(conn, img, xml, 0), -1,
            "SaveImageDefineXML for another domain");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainRestoreFlags(conn, img, xml, 0), -1,
            "RestoreFlags with another domain's XML");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    free(xml);
    TAP_INT(virDomainRestore(conn, img), 0, "restore");
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "image state was redefined");
    TAP_OK(tdXMLHas(dom, 0, "1000000"), "image XML was redefined");
    free(img);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- typed-parameter variants ---- */

static void
saveParams(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    char *img = path("params.save");
    virTypedParameterPtr params = NULL;
    int n = 0, max = 0;

    virTypedParamsAddString(&params, &n, &max, VIR_DOMAIN_SAVE_PARAM_FILE, img);
    TAP_INT(virDomainSaveParams(dom, params, n, 0), 0, "SaveParams");
    TAP_INT(virDomainRestoreParams(conn, params, n, 0), 0, "RestoreParams");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_RESTORED, "restored by params");
    TAP_INT(virDomainRestoreParams(conn, NULL, 0, 0), -1,
            "RestoreParams without a file");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainSaveParams(dom, NULL, 0, 0), 0,
            "SaveParams without a file: managed save");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 1, "managed image exists");
    virTypedParamsFree(params, n);
    unlink(img);
    free(img);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- failures: nothing changes, nothing is left behind ---- */

static void
saveFailures(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    char *img = path("big.save");
    struct rlimit old, small = { 16, 16 };
    unsigned char hdr[64];
    char *data;
    long len;
    int before = dirEntries();

    TAP_INT(virDomainSave(dom, "/nonexistent/dir/x.save"), -1,
            "save to a missing directory");
    TD_ERR(VIR_ERR_SYSTEM_ERROR, "SYSTEM_ERROR");
    TD_MSG("/nonexistent/dir/x.save", "message names the file");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "still running");

    /* a file size limit makes the write fail half-way (like ENOSPC) */
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    small.rlim_max = old.rlim_max;
    setrlimit(RLIMIT_FSIZE, &small);
    TAP_INT(virDomainSave(dom, img), -1, "save failing half-way");
    setrlimit(RLIMIT_FSIZE, &old);
    TD_ERR(VIR_ERR_SYSTEM_ERROR, "SYSTEM_ERROR");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "still running");
    TAP_INT(dirEntries(), before, "no partial or temporary file");
    TD_NO_EVENTS("failed saves");

    /* damaged images */
    TAP_INT(virDomainSave(dom, img), 0, "save");
    tdReset();
    data = readAll(img, &len);
    TAP_OK(len > 32 && memcmp(data, "vireo-test-save", 16) == 0,
           "image starts with the magic");

    writeBytes(img, data, 20);
    TAP_INT(virDomainRestore(conn, img), -1, "restore a 20-byte file");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "truncated: OPERATION_FAILED");
    TD_MSG(img, "message names the file");
    writeBytes(img, data, (size_t)len - 10);
    TAP_INT(virDomainRestore(conn, img), -1, "restore a truncated image");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "truncated: OPERATION_FAILED");
    TD_MSG("truncated", "message says truncated");
    memcpy(hdr, data, sizeof(hdr));
    data[0] = 'X';
    writeBytes(img, data, (size_t)len);
    TAP_INT(virDomainRestore(conn, img), -1, "restore with a wrong magic");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "bad magic: OPERATION_FAILED");
    TD_MSG("magic", "message says magic");
    data[0] = 'v';
    data[16] = 9;
    writeBytes(img, data, (size_t)len);
    TAP_INT(virDomainRestore(conn, img), -1, "restore a future version");
    TD_MSG("version 9", "message names the version");
    data[16] = 1;
    data[len - 5] ^= 0x20;
    writeBytes(img, data, (size_t)len);
    TAP_INT(virDomainRestore(conn, img), -1, "restore a corrupt image");
    TD_ERR(VIR_ERR_OPERATION_FAILED, "corrupt: OPERATION_FAILED");
    TD_MSG("corrupt", "message says corrupt");
    TAP_OK(virDomainSaveImageGetXMLDesc(conn, img, 0) == NULL,
           "no XML from a corrupt image");
    TAP_INT(virDomainRestore(conn, "/nonexistent.save"), -1,
            "restore a missing file");
    TD_ERR(VIR_ERR_SYSTEM_ERROR, "missing: SYSTEM_ERROR");
    TD_NO_EVENTS("failed restores");
    tdState(dom, OFF, VIR_DOMAIN_SHUTOFF_SAVED, "still saved");
    free(data);
    unlink(img);
    free(img);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- managed save ---- */

static void
managedSave(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test"), tr;
    virDomainPtr *list = NULL;
    char *xml;
    int n;

    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "no image at first");
    TAP_OK(virDomainManagedSaveGetXMLDesc(dom, 0) == NULL, "no image XML");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainManagedSaveDefineXML(dom, "<domain/>", 0), -1,
            "no image to redefine");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");

    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save");
    TD_EVENTS("managed save", { VIR_DOMAIN_EVENT_STOPPED,
                                VIR_DOMAIN_EVENT_STOPPED_SAVED });
    tdState(dom, OFF, VIR_DOMAIN_SHUTOFF_SAVED, "saved");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 1, "image exists");
    n = virConnectListAllDomains(conn, &list,
                                 VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
    TAP_INT(n, 1, "LIST_MANAGEDSAVE finds it");
    for (int i = 0; i < n; i++)
        virDomainFree(list[i]);
    free(list);
    TAP_INT(virConnectListAllDomains(conn, NULL,
                                     VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE),
            0, "LIST_NO_MANAGEDSAVE excludes it");
    xml = virDomainManagedSaveGetXMLDesc(dom, 0);
    TAP_OK(xml && strstr(xml, "2097152"), "image XML");
    memcpy(strstr(xml, "2097152"), "1048576", 7);
    TAP_INT(virDomainManagedSaveDefineXML(dom, xml, VIR_DOMAIN_SAVE_PAUSED), 0,
            "redefine the image");
    free(xml);
    TAP_INT(virDomainUndefine(dom), -1, "undefine with an image");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TD_MSG("managed save", "message says why");

    TAP_INT(virDomainCreate(dom), 0, "start restores the image");
    TD_EVENTS("start from image",
              { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED },
              { VIR_DOMAIN_EVENT_SUSPENDED,
                VIR_DOMAIN_EVENT_SUSPENDED_RESTORED });
    tdState(dom, PAU, VIR_DOMAIN_PAUSED_USER, "restored paused");
    TAP_OK(tdXMLHas(dom, 0, "1048576"), "from the redefined image");
    TAP_OK(tdXMLHas(dom, VIR_DOMAIN_XML_INACTIVE, "2097152"),
           "config unchanged");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "image consumed");

    TAP_INT(virDomainManagedSave(dom, VIR_DOMAIN_SAVE_RUNNING), 0,
            "managed save of a paused domain, to run");
    TAP_INT(virDomainCreate(dom), 0, "start");
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_RESTORED, "restored running");
    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save");
    tdReset();
    TAP_INT(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_FORCE_BOOT), 0,
            "FORCE_BOOT");
    TD_EVENTS("force boot", { VIR_DOMAIN_EVENT_STARTED,
                              VIR_DOMAIN_EVENT_STARTED_BOOTED });
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "image discarded");
    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save");
    TAP_INT(virDomainManagedSaveRemove(dom, 0), 0, "remove the image");
    TAP_INT(virDomainHasManagedSaveImage(dom, 0), 0, "gone");
    TAP_INT(virDomainManagedSaveRemove(dom, 0), 0, "removing none is fine");
    TAP_INT(virDomainManagedSave(dom, 0), -1, "managed save when inactive");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    TAP_INT(virDomainHasManagedSaveImage(dom, 1), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    virDomainCreate(dom);
    TAP_INT(virDomainManagedSave(dom, 0), 0, "managed save");
    TAP_INT(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), 0,
            "undefine with MANAGED_SAVE");
    virDomainFree(dom);

    xml = tdXML("tr", 4, NULL);
    tr = virDomainCreateXML(conn, xml, 0);
    free(xml);
    TAP_INT(virDomainManagedSave(tr, 0), -1, "managed save of transient");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");
    virDomainFree(tr);
    virConnectClose(conn);
}

/* ---- core dumps ---- */

static void
coreDump(void)
{
    virConnectPtr conn = tdOpen();
    virDomainPtr dom = virDomainLookupByName(conn, "test"), pd;
    char *core = path("test.core"), *data;
    long len;

    TAP_INT(virDomainCoreDump(dom, core, 0), 0, "core dump");
    data = readAll(core, &len);
    TAP_STR(data, "vireo-test-core 1\ndomain: test\n"
                  "uuid: 6695eb01-f6a4-8304-79aa-97f2502e193f\n"
                  "format: raw\nmemory-only: no\nmemory-kib: 2097152\n"
                  "vcpus: 2\n", "deterministic dump contents");
    free(data);
    tdState(dom, RUN, VIR_DOMAIN_RUNNING_BOOTED, "still running");
    TAP_INT(virDomainCoreDump(dom, core, VIR_DUMP_LIVE), 0, "live dump");
    TAP_INT(virDomainCoreDump(dom, core, VIR_DUMP_RESET), 0, "dump and reset");
    tdDrain();
    TAP_INT(tdEv.reboots, 1, "reset emitted a reboot event");
    TAP_INT(virDomainCoreDumpWithFormat(dom, core,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB,
                                        VIR_DUMP_MEMORY_ONLY), 0,
            "kdump-zlib memory-only");
    data = readAll(core, &len);
    TAP_OK(strstr(data, "format: kdump-zlib\nmemory-only: yes"),
           "format recorded");
    free(data);
    TAP_INT(virDomainCoreDumpWithFormat(dom, core,
                                        VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB,
                                        0), -1, "kdump without memory-only");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainCoreDumpWithFormat(dom, core, 9, 0), -1,
            "unknown format");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainCoreDump(dom, core, VIR_DUMP_CRASH | VIR_DUMP_RESET), -1,
            "crash and reset");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainCoreDump(dom, core, 1u << 20), -1, "unknown flag");
    TD_ERR(VIR_ERR_INVALID_ARG, "INVALID_ARG");
    TAP_INT(virDomainCoreDump(dom, "/nonexistent/dir/core", 0), -1,
            "dump to a missing directory");
    TD_ERR(VIR_ERR_SYSTEM_ERROR, "SYSTEM_ERROR");
    tdReset();
    TAP_INT(virDomainCoreDump(dom, core, VIR_DUMP_CRASH), 0, "crash dump");
    TD_EVENTS("crash dump", { VIR_DOMAIN_EVENT_STOPPED,
                              VIR_DOMAIN_EVENT_STOPPED_CRASHED });
    tdState(dom, OFF, VIR_DOMAIN_SHUTOFF_CRASHED, "stopped as crashed");
    TAP_INT(virDomainCoreDump(dom, core, 0), -1, "dump an inactive domain");
    TD_ERR(VIR_ERR_OPERATION_INVALID, "OP_INVALID");

    pd = tdDefine(conn, "keep", 8, "  <on_crash>preserve</on_crash>\n");
    virDomainCreate(pd);
    tdReset();
    TAP_INT(virDomainCoreDump(pd, core, VIR_DUMP_CRASH), 0,
            "crash dump with on_crash=preserve");
    TD_EVENTS("preserved crash", { VIR_DOMAIN_EVENT_CRASHED,
                                   VIR_DOMAIN_EVENT_CRASHED_PANICKED });
    tdState(pd, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, "crashed");
    TAP_INT(virDomainIsActive(pd), 1, "a crashed domain is active");
    TAP_INT(virDomainSuspend(pd), -1, "suspend a crashed domain");
    TD_MSG("domain 'keep' is crashed", "message names the state");
    TAP_INT(virDomainDestroy(pd), 0, "destroy the crashed domain");
    virDomainFree(pd);
    unlink(core);
    free(core);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(void)
{
    if (!mkdtemp(dir))
        return 1;
    tdInit();
    saveRestore();
    saveParams();
    saveFailures();
    managedSave();
    coreDump();
    {
        char *img = path("test.save");

        unlink(img);
        free(img);
    }
    rmdir(dir);
    return tapDone();
}
