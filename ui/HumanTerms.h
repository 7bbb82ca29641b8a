#pragma once

#include "store/Spool.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace pollux::ui {

// Technical names in words people use: the quarantine folders, the directory search
// filters. One place, so that every window says the same.
class HumanTerms
{
    Q_DECLARE_TR_FUNCTIONS(HumanTerms)
public:
    // "Refused messages (BADMAIL)", "Too large (TOOLARGE)": the words with the folder's
    // name in the spool, which the admin finds on disk.
    static QString quarantineFolder(QuarantineFolder folder);
    // What a quarantine folder holds, in one sentence.
    static QString quarantineFolderHelp(QuarantineFolder folder);

    // The directory search filters offered by name.
    struct FilterPreset
    {
        QString id;     // "active-directory", "openldap"
        QString name;   // "Active Directory", "OpenLDAP"
        QString filter; // with %s for the address
        QString baseDnExample;
    };
    static QList<FilterPreset> filterPresets();
    // The preset whose filter is `filter` (spaces around it ignored); empty id: none.
    static FilterPreset presetForFilter(const QString &filter);
};

} // namespace pollux::ui
