#pragma once

#include "config/FieldRules.h"

namespace pollux::ui {
namespace FieldRules = pollux::FieldRules;
} // namespace pollux::ui
