"""Network guard for the lab kernels: refuse and log any connection that leaves the machine.

Put this folder on PYTHONPATH and set ECSBOOK_NETGUARD_LOG to a file; Python imports
``sitecustomize`` at start-up, so every socket the kernel opens goes through the guard.
Loopback (127.0.0.0/8, ::1) and Unix sockets are allowed: the kernel talks to Jupyter that way.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("ECSBOOK_NETGUARD_LOG")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _local(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a name that is not localhost: would need DNS, i.e. the network


def _refuse(what: str) -> None:
    if _LOG:
        with open(_LOG, "a") as fh:
            fh.write(what + "\n")
    raise OSError(f"netguard: blocked network access to {what}")


def _check(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        if not _local(address[0]):
            _refuse(f"{address[0]}:{address[1]}")


def connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        _refuse(f"DNS lookup of {host}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
if _LOG:  # leave a mark so the tests can prove the guard was loaded in the kernel
    with open(_LOG + ".active", "a") as _fh:
        _fh.write(f"{os.getpid()}\n")
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
