#include "support/FaultProxy.h"

#include <sys/socket.h>

namespace pollux::test {

struct FaultProxy::Pair
{
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    bool faulty = false;   // this connection gets the fault
    bool stalled = false;  // forwarding stopped (Stall)
    bool finished = false; // closed by us
    QByteArray toUpstream; // client bytes before the upstream connection is up
    QByteArray pending[2]; // line mode: an incomplete line, per direction
    QByteArray held[2];    // read but not forwarded when a Stall acted (for resume())
    qint64 bytes[2] = {0, 0};
    int matches[2] = {0, 0};
};

namespace {
int index(FaultProxy::Direction d)
{
    return d == FaultProxy::Direction::ClientToServer ? 0 : 1;
}

bool lineMatches(const QByteArray &line, const QByteArray &prefix)
{
    if (prefix.isEmpty())
        return true;
    if (prefix.endsWith("\r\n")) // an exact line
        return line == prefix;
    const QByteArray upper = line.toUpper();
    const QByteArray p = prefix.toUpper();
    if (upper.startsWith(p))
        return true;
    const qsizetype space = upper.indexOf(' ');
    return space > 0 && upper.mid(space + 1).startsWith(p); // after an IMAP tag
}

void resetSocket(QTcpSocket *socket)
{
    if (!socket)
        return;
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        linger l{1, 0};
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    socket->abort();
}
} // namespace

FaultProxy::FaultProxy(quint16 targetPort, QObject *parent) : QObject(parent), m_target(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    for (Pair *p : std::as_const(m_pairs)) {
        if (p->client)
            p->client->abort();
        if (p->upstream)
            p->upstream->abort();
        delete p;
    }
}

bool FaultProxy::listen()
{
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FaultProxy::setFault(const Fault &fault)
{
    m_fault = fault;
    m_connections = 0; // Fault::connection counts from now on
    m_triggered = 0;
}

bool FaultProxy::setDown(bool down)
{
    if (!down)
        return m_server.isListening() || listen();
    m_server.close();
    for (Pair *p : std::as_const(m_pairs))
        closePair(p);
    return true;
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        client->setParent(this);
        auto *pair = new Pair;
        m_pairs << pair;
        ++m_connections;
        pair->client = client;
        pair->faulty = m_fault.action != Action::None &&
                       (m_fault.connection == 0 || m_fault.connection == m_connections);
        auto *upstream = new QTcpSocket(this);
        pair->upstream = upstream;
        connect(client, &QTcpSocket::readyRead, this,
                [this, pair] { forward(pair, Direction::ClientToServer); });
        connect(upstream, &QTcpSocket::readyRead, this,
                [this, pair] { forward(pair, Direction::ServerToClient); });
        connect(upstream, &QTcpSocket::connected, this, [pair] {
            if (!pair->toUpstream.isEmpty() && !pair->finished)
                pair->upstream->write(pair->toUpstream);
            pair->toUpstream.clear();
        });
        // A close on one side closes the other (also while stalled: a POP3 server keeps
        // the mailbox locked as long as its session lives).
        connect(client, &QTcpSocket::disconnected, this, [pair] {
            if (pair->upstream)
                pair->upstream->disconnectFromHost();
        });
        connect(upstream, &QTcpSocket::disconnected, this, [pair] {
            if (pair->client && !pair->stalled)
                pair->client->disconnectFromHost();
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_target);
        // A byte fault at 0 in the server's direction acts before anything is said.
        if (pair->faulty && m_fault.afterBytes == 0 &&
            m_fault.direction == Direction::ServerToClient)
            act(pair);
    }
}

void FaultProxy::forward(Pair *pair, Direction direction)
{
    QTcpSocket *from = direction == Direction::ClientToServer ? pair->client : pair->upstream;
    QTcpSocket *to = direction == Direction::ClientToServer ? pair->upstream : pair->client;
    if (!from)
        return;
    if (pair->finished || pair->stalled) {
        if (!pair->stalled)
            from->readAll(); // discard
        return;
    }
    const QByteArray data = from->readAll();
    const int d = index(direction);
    const bool armed = pair->faulty && m_fault.direction == direction;
    QByteArray out;
    bool trigger = false;

    if (armed && m_fault.afterBytes >= 0) {
        const qint64 room = m_fault.afterBytes - pair->bytes[d];
        if (room <= data.size()) {
            out = data.left(qMax<qint64>(room, 0));
            pair->held[d] = data.mid(out.size());
            trigger = true;
        } else {
            out = data;
        }
    } else if (armed) {
        QByteArray &buf = pair->pending[d];
        buf += data;
        qsizetype lf;
        while ((lf = buf.indexOf('\n')) >= 0) {
            const QByteArray line = buf.left(lf + 1);
            if (lineMatches(line, m_fault.linePrefix) && ++pair->matches[d] >= m_fault.occurrence) {
                if (m_fault.includeLine)
                    out += line;
                pair->held[d] = m_fault.includeLine ? buf.mid(line.size()) : buf;
                trigger = true;
                break;
            }
            out += line;
            buf.remove(0, lf + 1);
        }
    } else {
        out = data;
    }

    pair->bytes[d] += out.size();
    if (direction == Direction::ClientToServer)
        m_fromClient += out;
    if (!out.isEmpty() && to) {
        if (direction == Direction::ClientToServer &&
            to->state() != QAbstractSocket::ConnectedState)
            pair->toUpstream += out;
        else
            to->write(out);
    }
    if (trigger)
        act(pair);
}

void FaultProxy::resume()
{
    for (Pair *p : std::as_const(m_pairs)) {
        if (!p->stalled)
            continue;
        p->stalled = false;
        for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
            QTcpSocket *to = d == Direction::ClientToServer ? p->upstream : p->client;
            const QByteArray held = std::exchange(p->held[index(d)], {});
            if (to && !held.isEmpty())
                to->write(held);
            forward(p, d);
        }
        if (p->client &&
            (!p->upstream || p->upstream->state() == QAbstractSocket::UnconnectedState))
            p->client->disconnectFromHost();
    }
}

void FaultProxy::act(Pair *pair)
{
    ++m_triggered;
    pair->faulty = false;
    switch (m_fault.action) {
    case Action::None:
        break;
    case Action::Stall:
        pair->stalled = true;
        break;
    case Action::Drop:
        closePair(pair);
        break;
    case Action::Reset:
        pair->finished = true;
        resetSocket(pair->client);
        resetSocket(pair->upstream);
        break;
    }
}

void FaultProxy::closePair(Pair *pair)
{
    pair->finished = true;
    pair->stalled = false;
    if (pair->upstream) {
        pair->upstream->flush();
        pair->upstream->disconnectFromHost();
    }
    if (pair->client) {
        pair->client->flush();
        pair->client->disconnectFromHost();
    }
}

} // namespace pollux::test
