#include "HumanTerms.h"

namespace pollux::ui {

QString HumanTerms::quarantineFolder(QuarantineFolder folder)
{
    const QString name = quarantineFolderName(folder);
    switch (folder) {
    case QuarantineFolder::BadMail:
        return tr("Refused messages (%1)").arg(name);
    case QuarantineFolder::TooLarge:
        return tr("Too large (%1)").arg(name);
    }
    return name;
}

QString HumanTerms::quarantineFolderHelp(QuarantineFolder folder)
{
    switch (folder) {
    case QuarantineFolder::BadMail:
        return tr("Messages the office mail server refused for good, and messages Pollux "
                  "cannot deliver at all (a mail loop, or no postmaster for mail without a "
                  "known recipient).");
    case QuarantineFolder::TooLarge:
        return tr("Messages the office mail server refused because they are larger than it "
                  "accepts.");
    }
    return {};
}

QList<HumanTerms::FilterPreset> HumanTerms::filterPresets()
{
    // Active Directory: the primary address (mail) and every alias (proxyAddresses holds
    // "SMTP:primary" and "smtp:alias"; the match ignores case) - the configuration's
    // default. OpenLDAP (inetOrgPerson): mail, and mailAlternateAddress where the schema
    // has aliases (a server without that attribute just finds no match for it).
    return {
        {QStringLiteral("active-directory"), tr("Active Directory"),
         QStringLiteral("(|(mail=%s)(proxyAddresses=smtp:%s))"),
         QStringLiteral("DC=office,DC=example")},
        {QStringLiteral("openldap"), tr("OpenLDAP"),
         QStringLiteral("(|(mail=%s)(mailAlternateAddress=%s))"),
         QStringLiteral("ou=people,dc=office,dc=example")},
    };
}

HumanTerms::FilterPreset HumanTerms::presetForFilter(const QString &filter)
{
    const QString wanted = filter.trimmed();
    for (const FilterPreset &p : filterPresets()) {
        if (p.filter == wanted)
            return p;
    }
    return {};
}

} // namespace pollux::ui
