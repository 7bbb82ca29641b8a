#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

// Who is at the other end of a local socket. The platform seam: Linux asks the kernel
// (SO_PEERCRED) and the group database; elsewhere nothing is known and the server refuses
// (Windows would rely on the named pipe's ACL instead).
namespace pollux::control {

struct PeerCredentials
{
    bool known = false;
    uint uid = 0;
    uint gid = 0;
    QList<uint> groups; // the user's groups, the primary one included
    qint64 pid = -1;
};

PeerCredentials peerCredentials(qintptr socketDescriptor);
// This process's user and group, and the id of a group by name (-1: no such group).
uint currentUid();
uint currentGid();
qint64 groupId(const QString &name);

} // namespace pollux::control
