# One place for the compile policy of every Pollux target.
add_library(pollux_policy INTERFACE)
target_compile_features(pollux_policy INTERFACE cxx_std_17)
target_compile_definitions(pollux_policy INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_URL_CAST_FROM_STRING
  QT_USE_QSTRINGBUILDER
  QT_NO_FOREACH)
target_compile_options(pollux_policy INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
option(POLLUX_WERROR "Treat warnings as errors" OFF)
if(POLLUX_WERROR)
  target_compile_options(pollux_policy INTERFACE -Werror)
endif()
option(POLLUX_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(POLLUX_SANITIZE)
  target_compile_options(pollux_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(pollux_policy INTERFACE -fsanitize=address,undefined)
endif()
