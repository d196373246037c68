"""What a benchmarked server costs: its process and every process under it (workers,
query evaluators), measured with psutil. Shared by the benchmarks, not part of Digikort."""
from __future__ import annotations

import psutil


def processes(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def memory(pid: int, kind: str = "pss") -> int:
    """Bytes of the whole tree: "pss" splits shared pages between the processes, "uss"
    counts only what each holds alone."""
    total = 0
    for p in processes(pid):
        try:
            total += getattr(p.memory_full_info(), kind)
        except psutil.Error:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in processes(pid):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total
