/* test-features.h: helpers shared by the test driver feature tests */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <unistd.h>

#include "../tap.h"

/* Check that the last call failed with CODE. */
#define TAP_ERR(code, ...) \
    TAP_INT(virGetLastErrorCode(), (code), __VA_ARGS__)

static void
featQuiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

/* A persistent, inactive domain with two disks, a cdrom, two interfaces
 * and a virtio balloon; NAME must be unique per connection. */
static virDomainPtr __attribute__((unused))
featDefine(virConnectPtr conn, const char *name)
{
    char xml[2048];

    snprintf(xml, sizeof(xml),
             "<domain type='test'><name>%s</name>"
             "<memory unit='KiB'>1048576</memory><vcpu>4</vcpu>"
             "<iothreads>2</iothreads>"
             "<os><type arch='x86_64'>hvm</type></os><devices>"
             "<disk type='file' device='disk'><source file='/img/%s-a.img'/>"
             "<target dev='vda' bus='virtio'/></disk>"
             "<disk type='file' device='disk'><source file='/img/%s-b.img'/>"
             "<target dev='vdb' bus='virtio'/></disk>"
             "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
             "<readonly/></disk>"
             "<interface type='network'><mac address='52:54:00:00:00:01'/>"
             "<source network='default'/><target dev='tap7'/>"
             "<model type='virtio'/></interface>"
             "<interface type='user'><mac address='52:54:00:00:00:02'/>"
             "</interface>"
             "<memballoon model='virtio'/>"
             "</devices></domain>", name, name, name);
    return virDomainDefineXML(conn, xml);
}

/* Run the default event loop for about MS milliseconds. */
static void
featTick(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

static void __attribute__((unused))
featRunLoop(int ms)
{
    for (int i = 0; i < ms / 10 + 1; i++) {
        virEventAddTimeout(10, featTick, NULL, NULL);
        virEventRunDefaultImpl();
    }
}

/* Whether the domain's XML (FLAGS) contains NEEDLE. */
static int __attribute__((unused))
featXMLHas(virDomainPtr dom, unsigned int flags, const char *needle)
{
    char *xml = virDomainGetXMLDesc(dom, flags);
    int ret = xml && strstr(xml, needle) != NULL;

    free(xml);
    return ret;
}
