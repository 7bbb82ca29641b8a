#include "SmtpClient_p.h"

#include <QIODevice>

// The end of a message: BDAT chunks (RFC 3030) and the final-reply wait (RFC 5321
// §4.5.3.2.6), the parts of the conversation in SmtpSession.cpp that carry a body with BDAT
// and bound the wait for the reply that transfers responsibility.

namespace pollux::smtp {

void SmtpClient::Private::startBdat()
{
    bdatOutstanding = 0;
    bdatRefused = false;
    bdatHaveAhead = false;
    bdatAhead.clear();
    state = State::Bdat;
    pumpBdat();
}

// One chunk read ahead, so that the chunk going out knows whether it is the LAST one.
void SmtpClient::Private::pumpBdat()
{
    const auto readChunk = [this](QByteArray &into) {
        into.resize(BdatChunkSize);
        const qint64 n = body->read(into.data(), BdatChunkSize);
        if (n < 0) {
            // Never send the LAST chunk of a message we could not read completely.
            fail(ErrorCode::Storage,
                 QStringLiteral("cannot read the message: ") + body->errorString());
            return false;
        }
        into.resize(n);
        return true;
    };
    // Without PIPELINING each BDAT waits for the reply to the one before (RFC 3030 §4.2).
    while (state == State::Bdat && !bdatRefused && connection->bytesToWrite() < HighWater &&
           (caps.pipelining || bdatOutstanding == 0)) {
        if (!bdatHaveAhead) {
            if (!readChunk(bdatAhead))
                return;
            bdatHaveAhead = true;
        }
        QByteArray current = std::move(bdatAhead);
        bdatAhead = QByteArray();
        bool last = current.isEmpty(); // an empty body: "BDAT 0 LAST"
        if (!last) {
            if (!readChunk(bdatAhead))
                return;
            last = bdatAhead.isEmpty();
        }
        bdatHaveAhead = !last;
        connection->write(commands::bdat(current.size(), last));
        if (!current.isEmpty())
            connection->writeBulk(current);
        ++bdatOutstanding;
        if (last) {
            body = nullptr;
            bdatAhead = QByteArray();
            state = State::BdatEnd;
            beginFinalWait();
        }
    }
}

void SmtpClient::Private::onBdatReply(const Reply &reply)
{
    if (reply.isIntermediate()) {
        failForIntermediate(reply, QStringLiteral("BDAT"));
        return;
    }
    if (bdatOutstanding <= 0) {
        fail(ErrorCode::Protocol, QStringLiteral("reply to no BDAT: ") + reply.toString());
        return;
    }
    --bdatOutstanding;
    const bool toLast = state == State::BdatEnd && bdatOutstanding == 0;
    if (toLast) {
        endFinalWait();
        result.finalReply = reply;
    } else if (!is2xx(reply) && !bdatRefused) {
        // RFC 3030 §2: a refused chunk fails the transaction; no more chunks go out, the
        // replies to those already sent are read.
        result.dataReply = reply;
        bdatRefused = true;
        body = nullptr;
    }
    if (reply.code == 552)
        result.sizeRefused = true;
    if (toLast || (bdatRefused && bdatOutstanding == 0)) {
        finishMessage();
        return;
    }
    if (state == State::Bdat && !bdatRefused)
        pumpBdat();
}

void SmtpClient::Private::beginFinalWait()
{
    // The ordinary timeout still bounds the last bytes leaving; then the final-reply bound.
    if (finalWaitArmed || !connection || connection->bytesToWrite() > 0)
        return;
    finalWaitArmed = true;
    connection->setIdle(true);
    finalTimer->start(options.finalReplyTimeoutMs);
}

void SmtpClient::Private::endFinalWait()
{
    if (finalTimer)
        finalTimer->stop();
    if (finalWaitArmed && connection)
        connection->setIdle(false); // the ordinary timeout again, also while sitting open
    finalWaitArmed = false;
}

} // namespace pollux::smtp
