# vireo_compat.py: TAP bookkeeping, options and helpers for the
# python3-libvirt compatibility suite (python-domain.py). One result per
# checked method: pass, skip (VIR_ERR_NO_SUPPORT, or one of the few
# host-capability errors of HOST_LIMITS) or fail.
import argparse
import os
import re
import sys
import tempfile
import time

import libvirt

_opt = None
_count = 0
_results = []       # (family, method, result, detail)
_seen = {}          # method -> overall result
_cfunc = {}         # method -> C function(s)
_family = ''
_driver = 'the driver'
_tmp = None
_RANK = {'skip': 1, 'pass': 2, 'fail': 3}


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def init(argv, cfuncs):
    """Parse the options (and VIREO_COMPAT_* environment)."""
    global _opt, _tmp
    env = os.environ.get
    p = argparse.ArgumentParser(description='python3-libvirt domain checks')
    p.add_argument('libdir', nargs='?', help='build/src: check the mapped libvirt.so')
    p.add_argument('--uri', default=env('VIREO_COMPAT_URI', 'test:///default'))
    p.add_argument('--xml', default=env('VIREO_COMPAT_XML'),
                   help='domain XML to define per family (<name> replaced)')
    p.add_argument('--domain', default=env('VIREO_COMPAT_DOMAIN'),
                   help='use this existing domain')
    p.add_argument('--family', '--families', dest='families',
                   default=env('VIREO_COMPAT_FAMILIES', ''))
    p.add_argument('--lifecycle', action='store_const', const='lifecycle',
                   dest='families')
    p.add_argument('--markdown', default=env('VIREO_COMPAT_MARKDOWN'))
    p.add_argument('--summary', default=env('VIREO_COMPAT_SUMMARY'))
    p.add_argument('--wait', type=float, default=env('VIREO_COMPAT_WAIT'))
    p.add_argument('--bridge', default=env('VIREO_COMPAT_BRIDGE'),
                   help='families reading a host NIC (stats, parameters) '
                   'get a NIC on this bridge instead of the first one')
    _opt = p.parse_args(argv)
    if _opt.wait is None:
        _opt.wait = 10 if _opt.uri.startswith('test:') else 90
    _opt.wait = float(_opt.wait)
    _cfunc.update(cfuncs)
    _tmp = tempfile.TemporaryDirectory(prefix='vireo-compat-py-')
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    sys.stdout.reconfigure(line_buffering=True)
    if _opt.libdir:
        check_library()
    return _opt


def opt():
    return _opt


def tmpdir():
    return _tmp.name


def set_driver(name):
    global _driver
    _driver = name


def note(text):
    for line in str(text).splitlines():
        print('# ' + line)


def check_library():
    global _family
    with open('/proc/self/maps') as fp:
        paths = {ln.split()[-1] for ln in fp if '/libvirt.so' in ln}
    want = os.path.realpath(os.path.join(_opt.libdir, 'libvirt.so.0'))
    _family = 'setup'
    if paths == {want} and os.path.exists(want):
        _record('library', 'pass', '')
    else:
        _record('library', 'fail', 'the mapped libvirt.so is %s, not %s'
                % (','.join(sorted(paths)), want))
        print('Bail out! not testing our library')
        sys.exit(1)
    _family = ''


_errnames = {}


def err_name(code):
    if not _errnames:
        for k in dir(libvirt):
            if k.startswith('VIR_ERR_') and isinstance(getattr(libvirt, k), int):
                _errnames.setdefault(getattr(libvirt, k), k)
    if code is None:
        return 'no libvirt error (refused by the binding)'
    return '%s(%d)' % (_errnames.get(code, 'VIR_ERR_?'), code)


def describe(e):
    if isinstance(e, libvirt.libvirtError):
        return '%s: %s' % (err_name(e.get_error_code()), e.get_error_message())
    return '%s: %s' % (type(e).__name__, e)


def check(cond, what):
    if not cond:
        raise Fail(what)


def eq(got, exp, what):
    if got != exp:
        raise Fail('%s: got %r, expected %r' % (what, got, exp))


def match(got, regex, what):
    if got is None or not re.search(regex, got, re.S):
        raise Fail('%s: %r does not match %r' % (what, got, regex))


# Errors counted as "cannot be done here" (SKIP with the error's message),
# not as failures. The whole list; keep it short and honest:
#  - NO_SUPPORT (any message): the driver does not implement the call, or
#    says why the hypervisor cannot;
#  - OPERATION_UNSUPPORTED whose message blames the host ("... on this
#    host ..."): e.g. perf events, when perf_event_open fails on the host.
HOST_LIMITS = [
    (libvirt.VIR_ERR_NO_SUPPORT, r'', 'not supported by %s'),
    (libvirt.VIR_ERR_OPERATION_UNSUPPORTED, r'\bon this host\b',
     'unsupported on this host (%s)'),
]


def host_limit(e):
    """The skip reason if libvirtError E is one of HOST_LIMITS, else None."""
    if not isinstance(e, libvirt.libvirtError):
        return None
    msg = (e.get_error_message() or '').rstrip()
    for code, regex, label in HOST_LIMITS:
        if e.get_error_code() == code and re.search(regex, msg):
            return (label % _driver) + ': ' + msg
    return None


def skip(why):
    raise Skip(why)


def expect_error(codes, fn, what):
    """FN must raise libvirtError with one of CODES; an unexpected
    NO_SUPPORT propagates (the method is then skipped)."""
    if isinstance(codes, int):
        codes = [codes]
    try:
        fn()
    except libvirt.libvirtError as e:
        code = e.get_error_code()
        if code in codes:
            return code
        if host_limit(e):
            raise
        raise Fail('%s: expected %s, got %s'
                   % (what, '/'.join(err_name(c) for c in codes), describe(e)))
    raise Fail('%s: succeeded, expected %s'
               % (what, '/'.join(err_name(c) for c in codes)))


def pump(ms=20):
    """Run the default event loop for about MS milliseconds."""
    fired = []

    def done(timer, opaque):
        fired.append(1)
        libvirt.virEventRemoveTimeout(timer)
    libvirt.virEventAddTimeout(ms, done, None)
    while not fired:
        libvirt.virEventRunDefaultImpl()


def wait_until(cond, what, secs=None):
    secs = _opt.wait if secs is None else secs
    end = time.time() + secs
    while True:
        if cond():
            return True
        if time.time() > end:
            raise Fail('timed out after %gs waiting for %s' % (secs, what))
        pump(25)


def _record(name, result, detail):
    global _count
    _count += 1
    if result == 'pass':
        line = 'ok %d - %s: %s' % (_count, _family, name)
    elif result == 'skip':
        line = 'ok %d - %s: %s # SKIP %s' % (_count, _family, name, detail)
    else:
        line = 'not ok %d - %s: %s: %s' % (_count, _family, name, detail)
    print(line.replace('\n', ' '))
    _results.append((_family, name, result, detail))
    if name not in _seen or _RANK[result] > _RANK[_seen[name]]:
        _seen[name] = result


def _classify(e):
    if isinstance(e, Fail):
        return 'fail', str(e)
    if isinstance(e, Skip):
        return 'skip', str(e)
    why = host_limit(e)
    if why:
        return 'skip', why
    return 'fail', 'unexpected error: ' + describe(e)


def method(name):
    """Decorator: run the function now as the check of method NAME."""
    def run(fn):
        try:
            fn()
        except Exception as e:      # noqa: B902 - every failure is a result
            _record(name, *_classify(e))
        else:
            _record(name, 'pass', '')
        return fn
    return run


def selected(name):
    f = _opt.families
    return not f or f == 'all' or name in re.split(r'[,\s]+', f)


def family(name):
    """Decorator: run the function now as family NAME (if selected)."""
    def run(fn):
        global _family
        if not selected(name):
            return fn
        _family = name
        note('family ' + name)
        try:
            fn()
        except Exception as e:      # noqa: B902
            result, detail = _classify(e)
            if result == 'fail':
                detail = 'family aborted: ' + detail
            _record('(setup)', result, detail)
        _family = ''
        return fn
    return run


def finish():
    print('1..%d' % _count)
    p = sum(1 for m in _cfunc if _seen.get(m) == 'pass')
    s = sum(1 for m in _cfunc if _seen.get(m) == 'skip')
    f = sum(1 for m in _cfunc if _seen.get(m) == 'fail')
    missing = [m for m in _cfunc if m not in _seen]
    other = [m for m in _seen if m not in _cfunc]
    lines = [
        'methods: %d pass, %d skipped (unsupported), %d fail' % (p, s, f),
        'other checks (events): %d pass, %d skipped, %d fail' % tuple(
            sum(1 for m in other if _seen[m] == r) for r in ('pass', 'skip', 'fail')),
        'python methods listed: %d, not run: %s' % (
            len(_cfunc), (len(missing) if _opt.families else
                          '%d %s' % (len(missing), ' '.join(missing))) if missing else 0),
    ]
    note('\n'.join(lines))
    if _opt.summary:
        with open(_opt.summary, 'w') as fp:
            fp.write(''.join('# %s\n' % ln for ln in lines))
    if _opt.markdown:
        write_markdown()
    sys.exit(1 if any(r[2] == 'fail' for r in _results) else 0)


def write_markdown():
    detail = {}
    for fam, name, result, d in _results:
        if result == _seen[name]:
            detail.setdefault(name, d)
    label = {'pass': 'pass', 'skip': 'unsupported', 'fail': 'FAIL'}
    with open(_opt.markdown, 'w') as fp:
        fp.write('# python3-libvirt virDomain on vireo\n\n'
                 'Generated by `tests/compat/python-domain.py` against `%s`.\n\n'
                 '| method | C function | result |\n|---|---|---|\n' % _opt.uri)
        for m in list(_cfunc) + sorted(x for x in _seen if x not in _cfunc):
            if m in _seen:
                res = label[_seen[m]]
                if _seen[m] != 'pass' and detail.get(m):
                    res += ': ' + detail[m].replace('|', '\\|')
            else:
                res = 'not run'
            fp.write('| `%s` | %s | %s |\n' % (m, _cfunc.get(m, ''), res))
