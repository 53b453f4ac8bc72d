# Shared shell helpers for aresolv's scripts and end-to-end tests (source it).

ARESOLV_ROOT=${ARESOLV_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ARESOLV_FIXTURES_DEFAULT=$ARESOLV_ROOT/tests/fixtures/sandbox
# Debian's interpreter, whatever PATH says (pyenv and friends may shadow it).
ARESOLV_PYTHON=${ARESOLV_PYTHON:-/usr/bin/python3}

aresolv_log() { printf '%s\n' "$*" >&2; }

# A test that cannot run says why and exits 77 (CTest's SKIP_RETURN_CODE);
# CI runs as root, so there a skip means something is broken: fail instead.
aresolv_skip() {
  if [[ ${CI:-} == true || ${ARESOLV_REQUIRE_ROOT:-} == 1 ]]; then
    aresolv_log "FAIL (would skip, but CI=true/ARESOLV_REQUIRE_ROOT=1): $*"
    exit 1
  fi
  aresolv_log "SKIP: $*"
  exit 77
}

# Asks a DNS server for NAME/A once over UDP with the standard library only;
# succeeds on any answer at all (even NXDOMAIN): the server is up.
aresolv_dns_answers() {
  local server=$1 name=${2:-a4.test}
  "$ARESOLV_PYTHON" - "$server" "$name" <<'PY'
import random, socket, struct, sys
server, name = sys.argv[1], sys.argv[2]
qid = random.randrange(65536)
question = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question + struct.pack(">HH", 1, 1)
family = socket.AF_INET6 if ":" in server else socket.AF_INET
with socket.socket(family, socket.SOCK_DGRAM) as s:
    s.settimeout(0.3)
    s.sendto(packet, (server, 53))
    try:
        reply = s.recv(4096)
    except OSError:
        sys.exit(1)
sys.exit(0 if len(reply) >= 12 and struct.unpack(">H", reply[:2])[0] == qid else 1)
PY
}

# Inside scripts/sandbox.sh only: switches /etc/nsswitch.conf (a private copy)
# for the processes started after this call.
aresolv_use_nsswitch() {
  if [[ ${ARESOLV_SANDBOX:-} != 1 ]]; then
    aresolv_log "aresolv_use_nsswitch: refusing to touch /etc outside the sandbox"
    return 1
  fi
  local file=$1
  [[ $file == */* ]] || file=$ARESOLV_SANDBOX_FIXTURES/$file
  cat "$file" > /etc/nsswitch.conf
}
