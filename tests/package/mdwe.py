#!/usr/bin/env python3
# Runs a program as MemoryDenyWriteExecute=yes would (pollux.service): no memory mapping
# that is writable and executable, none made executable later (prctl PR_SET_MDWE, Linux 6.3
# and later, kept across execve). Status 77 when the kernel cannot.
import ctypes
import os
import sys

PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    print("mdwe.py: prctl(PR_SET_MDWE): %s" % os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(77)
os.execv(sys.argv[1], sys.argv[1:])
