/* cmd_device.c: changing a domain's definition piecewise: attach-device,
 * detach-device, metadata, desc, domrename */
#include "vireo.h"

#include <stdlib.h>
#include <string.h>

/* The affect flags of attach/detach: --persistent means the definition
 * and, when it runs, the live domain too. */
static int
deviceFlags(const Ctx *ctx, unsigned int *flags)
{
    int active;

    if (argsAffect(ctx, flags) < 0)
        return -1;
    if (!cmdtabBool(ctx, "persistent"))
        return 0;
    if (cmdtabBool(ctx, "current"))
        return errorsUsage(ctx->cmd, "--persistent cannot go with --current");
    *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if ((active = virDomainIsActive(ctx->dom)) == 1)
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return 0;
}

static int
deviceAttachDetach(Ctx *ctx, bool attach)
{
    const char *file = cmdtabString(ctx, "file");
    unsigned int flags;
    char *xml;
    int r;

    if (deviceFlags(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (!(xml = fileRead(file)))
        return EXIT_FAIL;
    if (attach)
        r = virDomainAttachDeviceFlags(ctx->dom, xml, flags);
    else
        r = virDomainDetachDeviceFlags(ctx->dom, xml, flags);
    free(xml);
    if (r < 0)
        return argsFail();
    outputDone(ctx, "Device %s domain '%s'",
               attach ? "attached to" : "detached from",
               virDomainGetName(ctx->dom));
    return EXIT_OK;
}

static int
deviceAttach(Ctx *ctx)
{
    return deviceAttachDetach(ctx, true);
}

static int
deviceDetach(Ctx *ctx)
{
    return deviceAttachDetach(ctx, false);
}

static int
deviceMetadata(Ctx *ctx)
{
    const char *uri = cmdtabString(ctx, "uri");
    const char *key = cmdtabString(ctx, "key");
    const char *set = cmdtabString(ctx, "set");
    bool remove = cmdtabBool(ctx, "remove");
    unsigned int flags;
    char *xml;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (set && remove) {
        errorsUsage(ctx->cmd, "--set cannot go with --remove");
        return EXIT_USAGE;
    }
    if ((set || remove) && ctx->json) {
        errorsUsage(ctx->cmd, "--json goes with reading the metadata only");
        return EXIT_USAGE;
    }
    if (set && !key) {
        errorsUsage(ctx->cmd, "--set needs --key");
        return EXIT_USAGE;
    }
    if (set || remove) {
        if (virDomainSetMetadata(ctx->dom, VIR_DOMAIN_METADATA_ELEMENT,
                                 set, key, uri, flags) < 0)
            return argsFail();
        outputDone(ctx, "Metadata of domain '%s' %s",
                   virDomainGetName(ctx->dom), set ? "modified" : "removed");
        return EXIT_OK;
    }
    if (!(xml = virDomainGetMetadata(ctx->dom, VIR_DOMAIN_METADATA_ELEMENT,
                                     uri, flags)))
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "uri", json_object_new_string(uri));
        json_object_object_add(obj, "xml", json_object_new_string(xml));
        outputJSON(obj);
    } else {
        printf("%s\n", xml);
    }
    free(xml);
    return EXIT_OK;
}

static int
deviceDesc(Ctx *ctx)
{
    bool title = cmdtabBool(ctx, "title");
    int type = title ? VIR_DOMAIN_METADATA_TITLE
                     : VIR_DOMAIN_METADATA_DESCRIPTION;
    const char *text = cmdtabString(ctx, "new-desc");
    const char *what = title ? "title" : "description";
    unsigned int flags;
    char *cur;

    if (argsAffect(ctx, &flags) < 0)
        return EXIT_USAGE;
    if (text) {
        if (ctx->json) {
            errorsUsage(ctx->cmd, "--json goes with reading only");
            return EXIT_USAGE;
        }
        /* an empty text removes it */
        if (virDomainSetMetadata(ctx->dom, type, *text ? text : NULL, NULL,
                                 NULL, flags) < 0)
            return argsFail();
        outputDone(ctx, "Domain %s of '%s' %s", what,
                   virDomainGetName(ctx->dom), *text ? "updated" : "removed");
        return EXIT_OK;
    }
    cur = virDomainGetMetadata(ctx->dom, type, NULL, flags);
    if (!cur && virGetLastErrorCode() != VIR_ERR_NO_DOMAIN_METADATA)
        return argsFail();
    if (ctx->json) {
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, what, argsStringJSON(cur));
        outputJSON(obj);
    } else if (cur) {
        printf("%s\n", cur);
    } else {
        printf("No %s for domain '%s'\n", what, virDomainGetName(ctx->dom));
    }
    free(cur);
    return EXIT_OK;
}

static int
deviceRename(Ctx *ctx)
{
    const char *name = cmdtabString(ctx, "new-name");
    char *old = strdup(virDomainGetName(ctx->dom));

    if (!old)
        abort();
    if (virDomainRename(ctx->dom, name, 0) < 0) {
        free(old);
        return argsFail();
    }
    outputDone(ctx, "Domain '%s' renamed to '%s'", old, name);
    free(old);
    return EXIT_OK;
}

static const CmdOpt optsDevice[] = {
    { "file", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "FILE",
      "the device XML ('-' reads standard input)" },
    { "persistent", OPT_BOOL, 0, NULL,
      "change the definition, and the running domain if it runs" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsMetadata[] = {
    { "uri", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "URI",
      "the namespace URI of the metadata element" },
    { "key", OPT_STRING, 0, "PREFIX",
      "with --set, the namespace prefix to write it with" },
    { "set", OPT_STRING, 0, "XML",
      "replace the element by this XML" },
    { "remove", OPT_BOOL, 0, NULL, "remove the element" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsDesc[] = {
    { "new-desc", OPT_STRING, OPT_POSITIONAL, "TEXT",
      "the new text ('' removes it)" },
    { "title", OPT_BOOL, 0, NULL,
      "the title (one line) instead of the description" },
    OPTS_AFFECT,
    { NULL },
};

static const CmdOpt optsRename[] = {
    { "new-name", OPT_STRING, OPT_REQUIRED | OPT_POSITIONAL, "NEWNAME",
      "the domain's new name" },
    { NULL },
};

const Cmd deviceCommands[] = {
    { "attach-device", G_LIFE, deviceAttach, optsDevice, CMD_DOMAIN,
      "attach a device from an XML file",
      "Add the device FILE describes to the running domain (--live), its "
      "definition (--config) or both (--persistent)." },
    { "detach-device", G_LIFE, deviceDetach, optsDevice, CMD_DOMAIN,
      "detach a device described by an XML file",
      "Remove the device FILE describes from the running domain, its "
      "definition or both." },
    { "metadata", G_LIFE, deviceMetadata, optsMetadata,
      CMD_DOMAIN | CMD_QUERY,
      "show or set a domain's custom metadata",
      "Print the domain's metadata element of namespace URI; --set "
      "replaces it (written with prefix --key), --remove removes it." },
    { "desc", G_LIFE, deviceDesc, optsDesc, CMD_DOMAIN | CMD_QUERY,
      "show or set a domain's description or title",
      "Print the domain's description (or --title); with TEXT, set it." },
    { "domrename", G_LIFE, deviceRename, optsRename, CMD_DOMAIN,
      "rename an inactive domain",
      "Give the inactive domain a new name." },
    { NULL },
};
