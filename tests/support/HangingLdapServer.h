#pragma once

#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace pollux::test {

// A fake LDAP server on 127.0.0.1 (port 0) that hangs: the directory that stalls delivery
// (issue 12, item 7). It runs in a thread of its own, so a client that blocks the test's
// thread in a synchronous lookup still finds it accepting. It counts connections, bind
// requests and search requests (BER framing of RFC 4511 LDAPMessage, nothing more).
//   Silent:     accepts, reads, never answers anything.
//   AnswerBind: answers every bind with success, then never answers a search.
// Stops (and closes every connection) in its destructor.
class HangingLdapServer
{
public:
    enum class Mode
    {
        Silent,
        AnswerBind,
    };
    explicit HangingLdapServer(Mode mode);
    ~HangingLdapServer();
    HangingLdapServer(const HangingLdapServer &) = delete;
    HangingLdapServer &operator=(const HangingLdapServer &) = delete;

    bool start(); // false when it cannot listen
    quint16 port() const { return m_port; }
    QString url() const; // ldap://127.0.0.1:<port>

    int connections() const { return m_connections.load(); }
    int binds() const { return m_binds.load(); }
    int searches() const { return m_searches.load(); }
    // Waits (processing the caller's events) until connections() >= n; false after `ms`.
    bool waitForConnections(int n, int ms) const;

    // For the server's thread.
    struct Counters
    {
        std::atomic<int> *connections;
        std::atomic<int> *binds;
        std::atomic<int> *searches;
    };

private:
    Mode m_mode;
    QThread m_thread;
    QObject *m_core = nullptr; // lives in m_thread; owns the server and its sockets
    quint16 m_port = 0;
    std::atomic<int> m_connections{0};
    std::atomic<int> m_binds{0};
    std::atomic<int> m_searches{0};
};

} // namespace pollux::test
