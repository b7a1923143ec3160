/* aliases.c: old public names that mean exactly a newer call */
#include <libvirt/libvirt.h>

/* The first name of virDomainCreateXML; Sys::Virt's create_domain uses it. */
virDomainPtr
virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc,
                     unsigned int flags)
{
    return virDomainCreateXML(conn, xmlDesc, flags);
}
