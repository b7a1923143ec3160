/* qemu_events.h: QMP events -> domain state and libvirt events */
#pragma once

#include "qmp.h"

/* The QmpEventFunc of every domain monitor; OPAQUE is the QemuDom. Runs on
 * the monitor's I/O thread; takes the driver lock; never runs monitor
 * commands itself (it hands them to the domain's watcher thread). */
void qemuEventHandle(Qmp *mon, const QmpEvent *event, void *opaque);
