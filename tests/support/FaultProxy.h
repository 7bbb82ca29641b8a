#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace pollux::test {

// A fault-injecting TCP proxy: listens on 127.0.0.1 (port 0, or the port it had before
// setDown(false)), forwards every connection to 127.0.0.1:targetPort, and on one chosen
// connection does one thing wrong:
//   - Drop:  forwards what came before the trigger, then closes both sides (FIN);
//   - Stall: stops forwarding in both directions, keeping both sockets open;
//   - Reset: closes both sides with RST (SO_LINGER 0), e.g. during a TLS handshake.
// The trigger is a byte count or the n-th line (starting with a prefix) in one direction.
// Lives in the thread that creates it (the test's main thread); the code under test talks
// to it over the network from its own threads.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    enum class Direction
    {
        ClientToServer,
        ServerToClient
    };
    enum class Action
    {
        None,
        Drop,
        Stall,
        Reset
    };
    struct Fault
    {
        Action action = Action::None;
        Direction direction = Direction::ClientToServer;
        // Byte mode (>= 0): act once this many bytes went through in `direction`.
        qint64 afterBytes = -1;
        // Line mode (afterBytes < 0): the occurrence-th line that starts with linePrefix
        // (case-insensitive; also matched after an IMAP tag; empty: every line; ending in
        // CRLF: exactly that line).
        QByteArray linePrefix;
        int occurrence = 1;
        bool includeLine = true; // forward the matching line before acting
        int connection = 1;      // which connection (1-based) gets the fault; 0: every one
    };

    explicit FaultProxy(quint16 targetPort, QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen();
    quint16 port() const { return m_port; }
    void setFault(const Fault &fault);
    void clearFault() { setFault(Fault{}); }
    // Down: the listener is closed (connection refused) and open connections are dropped.
    // Up again: listens on the same port.
    bool setDown(bool down);

    // Stalled connections forward again, from where they stopped (a Stall that holds an
    // answer back for a while).
    void resume();

    int connections() const { return m_connections; }
    int triggered() const { return m_triggered; } // how many times the fault acted
    // Everything the client sent on every connection (line mode forwards whole lines only).
    QByteArray clientBytes() const { return m_fromClient; }

private:
    struct Pair;
    void onNewConnection();
    void forward(Pair *pair, Direction direction);
    void act(Pair *pair);
    void closePair(Pair *pair);

    QTcpServer m_server;
    quint16 m_target;
    quint16 m_port = 0;
    Fault m_fault;
    QList<Pair *> m_pairs;
    int m_connections = 0;
    int m_triggered = 0;
    QByteArray m_fromClient;
};

} // namespace pollux::test
