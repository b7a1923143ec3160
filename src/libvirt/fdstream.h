/* fdstream.h: a stream over a file descriptor (socket, pty, pipe, file) */
#pragma once

#include <libvirt/libvirt.h>

/* Attach ST to FD. The direction follows FD's access mode: a socket or pty
 * (O_RDWR) both sends and receives, a pipe's read end only receives, its
 * write end only sends. FD is made non-blocking and close-on-exec; the stream
 * honours VIR_STREAM_NONBLOCK itself (-2 when it would block) and otherwise
 * waits. Takes ownership of FD on every path (closed on failure). Returns 0,
 * or -1 with an error set. */
int fdStreamOpen(virStreamPtr st, int fd);

/* Open PATH with OFLAGS (O_RDONLY to read a file such as a screenshot,
 * O_WRONLY|O_CREAT|O_TRUNC to write one, created with mode 0600) and attach
 * ST to it. Returns 0, or -1 with an error set (VIR_ERR_SYSTEM_ERROR when
 * PATH cannot be opened). */
int fdStreamOpenFile(virStreamPtr st, const char *path, int oflags);
