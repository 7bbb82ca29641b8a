#include "PeerCredentials.h"

#ifdef Q_OS_LINUX
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <vector>
#endif

namespace pollux::control {

#ifdef Q_OS_LINUX
PeerCredentials peerCredentials(qintptr socketDescriptor)
{
    PeerCredentials out;
    struct ucred cred = {};
    socklen_t len = sizeof(cred);
    if (socketDescriptor < 0 ||
        getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return out;
    out.known = true;
    out.uid = cred.uid;
    out.gid = cred.gid;
    out.pid = cred.pid;
    out.groups.append(cred.gid);
    // The supplementary groups of the peer's user, from the group database.
    std::vector<char> buffer(16384);
    struct passwd pw = {};
    struct passwd *found = nullptr;
    if (getpwuid_r(cred.uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found) {
        int count = 64;
        std::vector<gid_t> groups(static_cast<size_t>(count));
        if (getgrouplist(found->pw_name, cred.gid, groups.data(), &count) < 0 && count > 0 &&
            count <= 65536) {
            groups.resize(size_t(count));
            if (getgrouplist(found->pw_name, cred.gid, groups.data(), &count) < 0)
                count = 0;
        }
        for (int i = 0; i < count; ++i)
            if (!out.groups.contains(groups[size_t(i)]))
                out.groups.append(groups[size_t(i)]);
    }
    return out;
}

uint currentUid()
{
    return uint(getuid());
}

uint currentGid()
{
    return uint(getgid());
}

qint64 groupId(const QString &name)
{
    std::vector<char> buffer(16384);
    struct group gr = {};
    struct group *found = nullptr;
    const QByteArray n = name.toLocal8Bit();
    if (getgrnam_r(n.constData(), &gr, buffer.data(), buffer.size(), &found) == 0 && found)
        return qint64(found->gr_gid);
    return -1;
}
#else
PeerCredentials peerCredentials(qintptr)
{
    return {};
}

uint currentUid()
{
    return 0;
}

uint currentGid()
{
    return 0;
}

qint64 groupId(const QString &)
{
    return -1;
}
#endif

} // namespace pollux::control
