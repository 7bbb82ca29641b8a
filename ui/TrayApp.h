#pragma once

#include "ui/TrayIcon.h"
