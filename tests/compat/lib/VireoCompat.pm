# VireoCompat.pm: TAP bookkeeping, options and helpers for the Sys::Virt
# compatibility suite (sysvirt-domain.pl). One result per checked method:
# pass, skip (the library said VIR_ERR_NO_SUPPORT, or one of the few
# host-capability errors of @HOST_LIMITS) or fail.
package VireoCompat;

use strict;
use warnings;
use Exporter 'import';
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Getopt::Long qw(GetOptionsFromArray);
use Scalar::Util qw(blessed);
use Time::HiRes qw(time);
use Sys::Virt;

our @EXPORT = qw(init set_driver untested selected method family check
                 is_eq is_num like_re expect_error wait_until pump_events
                 skip_because opt err_name finish tmpdir note host_limit);

my %opt;
my $count = 0;
my @results;            # { method, cfunc, result, detail, family }
my %seen;               # method -> worst result so far
my %cfunc;              # documented method -> C function(s)
my @documented;         # documented methods, in table order
my $family = '';
my $driver = 'the driver';
my $tmpdir;

# Parse the command line (and the VIREO_COMPAT_* environment): see usage().
sub init {
    my @args = @_;
    %opt = (
        uri => $ENV{VIREO_COMPAT_URI} // 'test:///default',
        xml => $ENV{VIREO_COMPAT_XML},
        domain => $ENV{VIREO_COMPAT_DOMAIN},
        families => $ENV{VIREO_COMPAT_FAMILIES} // '',
        markdown => $ENV{VIREO_COMPAT_MARKDOWN},
        summary => $ENV{VIREO_COMPAT_SUMMARY},
        wait => $ENV{VIREO_COMPAT_WAIT},
        bridge => $ENV{VIREO_COMPAT_BRIDGE},
        libdir => undef,
        methods => dirname(__FILE__) . '/domain-methods.tsv',
    );
    GetOptionsFromArray(\@args,
        'uri=s' => \$opt{uri}, 'xml=s' => \$opt{xml},
        'domain=s' => \$opt{domain}, 'family|families=s' => \$opt{families},
        'lifecycle' => sub { $opt{families} = 'lifecycle' },
        'markdown=s' => \$opt{markdown}, 'summary=s' => \$opt{summary},
        'wait=i' => \$opt{wait}, 'methods=s' => \$opt{methods},
        'bridge=s' => \$opt{bridge},
        'list' => \$opt{list}, 'help' => sub { usage(0) })
        or usage(2);
    $opt{libdir} = shift @args if @args;
    $opt{wait} //= $opt{uri} =~ /^test:/ ? 10 : 90;
    load_methods($opt{methods});
    $tmpdir = tempdir('vireo-compat-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    $| = 1;
    check_library() if defined $opt{libdir};
}

# With BUILD_SRC_DIR given: the libvirt.so.0 mapped must be the one there
# (a missing build must not silently test the system's libvirt).
sub check_library {
    open(my $maps, '<', '/proc/self/maps') or die "maps: $!";
    my %libs = map { (split)[-1] => 1 } grep { m{/libvirt\.so} } <$maps>;
    close($maps);
    my $want = readlink_f("$opt{libdir}/libvirt.so.0");
    my @got = sort keys %libs;
    $family = 'setup';
    if (@got == 1 && defined $want && $got[0] eq $want) {
        record('library', 'pass', '');
    } else {
        record('library', 'fail', 'the mapped libvirt.so is ' . join(',', @got) .
               ', not ' . ($want // "$opt{libdir}/libvirt.so.0 (missing)"));
        print "Bail out! not testing our library\n";
        exit(1);
    }
    $family = '';
}

sub readlink_f {
    my ($p) = @_;
    return undef unless -e $p;
    require Cwd;
    return Cwd::abs_path($p);
}

sub usage {
    print STDERR <<"EOF";
usage: $0 [options] [BUILD_SRC_DIR]
  --uri URI          connection URI (VIREO_COMPAT_URI, default test:///default)
  --xml FILE         domain XML to define for each family; its <name> is
                     replaced per family (VIREO_COMPAT_XML, default: built in)
  --domain NAME      use this existing domain instead of defining one
  --family LIST      comma-separated families to run (VIREO_COMPAT_FAMILIES)
  --lifecycle        same as --family lifecycle
  --markdown PATH    write a Markdown table (method, C function, result)
  --summary PATH     write the summary lines to PATH too
  --wait SECS        how long to wait for states and events
  --bridge BR        the families reading a NIC's host device (stats,
                     parameters) get a NIC on bridge BR instead of the
                     domain's first one (VIREO_COMPAT_BRIDGE)
  --list             list the families and exit
EOF
    exit($_[0]);
}

sub load_methods {
    my ($path) = @_;
    open(my $fh, '<', $path) or die "$path: $!\n";
    while (<$fh>) {
        chomp;
        next if /^#/ || !/\S/;
        my ($m, $c) = split /\t/;
        push @documented, $m;
        $cfunc{$m} = $c;
    }
    close($fh);
}

sub opt { return $opt{$_[0]} }
sub tmpdir { return $tmpdir }
sub set_driver { $driver = $_[0] }

# Should FAMILY run (the --family selection)?
sub selected {
    my ($name) = @_;
    return 1 if $opt{families} eq '' || $opt{families} eq 'all';
    return scalar grep { $_ eq $name } split /[,\s]+/, $opt{families};
}

# Errors counted as "cannot be done here" (SKIP with the error's message),
# not as failures. The whole list; keep it short and honest:
#  - NO_SUPPORT (any message): the driver does not implement the call, or
#    says why the hypervisor cannot;
#  - OPERATION_UNSUPPORTED whose message blames the host ("... on this
#    host ..."): e.g. perf events, when perf_event_open fails on the host.
my @HOST_LIMITS = (
    [Sys::Virt::Error::ERR_NO_SUPPORT, qr/^/, 'not supported by %s'],
    [Sys::Virt::Error::ERR_OPERATION_UNSUPPORTED, qr/\bon this host\b/,
     'unsupported on this host (%s)'],
);

# The skip reason if the Sys::Virt::Error E is one of @HOST_LIMITS.
sub host_limit {
    my ($e) = @_;
    return undef unless blessed($e) && $e->isa('Sys::Virt::Error');
    for my $l (@HOST_LIMITS) {
        next unless $e->code == $l->[0] && $e->message =~ $l->[1];
        (my $msg = $e->message) =~ s/\s+$//;
        return sprintf($l->[2], $driver) . ": $msg";
    }
    return undef;
}

sub note { print map { "# $_\n" } split /\n/, join('', @_) }

# The symbolic name of a virErrorNumber.
my %errnames;
sub err_name {
    my ($code) = @_;
    unless (%errnames) {
        no strict 'refs';
        for my $sym (keys %Sys::Virt::Error::) {
            next unless $sym =~ /^ERR_/;
            my $v = eval { &{"Sys::Virt::Error::$sym"}() };
            $errnames{$v} //= $sym if defined $v;
        }
    }
    return ($errnames{$code} // 'ERR_?') . "($code)";
}

sub describe_error {
    my ($e) = @_;
    return "$e" unless blessed($e) && $e->isa('Sys::Virt::Error');
    my $msg = $e->message;
    $msg =~ s/\s+$//;
    return err_name($e->code) . ": $msg";
}

# Failures and skips thrown by the checks below.
sub fail_now { die bless { msg => $_[0] }, 'VireoCompat::Fail' }
sub skip_because { die bless { msg => $_[0] }, 'VireoCompat::Skip' }

sub check {
    my ($cond, $what) = @_;
    fail_now($what) unless $cond;
    return 1;
}

sub show { defined $_[0] ? "'$_[0]'" : 'undef' }

sub is_eq {
    my ($got, $exp, $what) = @_;
    fail_now("$what: got " . show($got) . ", expected " . show($exp))
        unless defined $got && defined $exp && $got eq $exp;
}

sub is_num {
    my ($got, $exp, $what) = @_;
    fail_now("$what: got " . show($got) . ", expected " . show($exp))
        unless defined $got && $got =~ /^-?\d+(\.\d+)?$/ && $got == $exp;
}

sub like_re {
    my ($got, $re, $what) = @_;
    fail_now("$what: " . show($got) . " does not match $re")
        unless defined $got && $got =~ $re;
}

# Run CODE, which must fail with one of the error CODES (a number or an
# array ref). NO_SUPPORT that is not expected propagates (-> skip).
sub expect_error {
    my ($codes, $code, $what) = @_;
    my @want = ref $codes ? @$codes : ($codes);
    my $ok = eval { $code->(); 1 };
    fail_now("$what: succeeded, expected " . join('/', map { err_name($_) } @want))
        if $ok;
    my $e = $@;
    die $e unless blessed($e) && $e->isa('Sys::Virt::Error');
    return $e->code if grep { $_ == $e->code } @want;
    die $e if host_limit($e);
    fail_now("$what: expected " . join('/', map { err_name($_) } @want) .
             ", got " . describe_error($e));
}

# Run the default event loop for about MS milliseconds.
sub pump_events {
    my ($ms) = @_;
    $ms //= 20;
    my $fired = 0;
    my $t = Sys::Virt::Event::add_timeout($ms, sub {
        $fired = 1;
        Sys::Virt::Event::remove_timeout($_[0]);
    });
    Sys::Virt::Event::run_default() until $fired;
}

# Poll COND (running the event loop) until it is true or the wait expires.
sub wait_until {
    my ($cond, $what, $secs) = @_;
    my $end = time() + ($secs // $opt{wait});
    while (1) {
        return 1 if $cond->();
        fail_now("timed out after " . ($secs // $opt{wait}) . "s waiting for $what")
            if time() > $end;
        pump_events(25);
    }
}

sub record {
    my ($name, $result, $detail) = @_;
    $count++;
    $detail =~ s/\n/\\n/g;
    $detail =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
    my $line;
    if ($result eq 'pass') {
        $line = "ok $count - $family: $name";
    } elsif ($result eq 'skip') {
        $line = "ok $count - $family: $name # SKIP $detail";
    } else {
        $line = "not ok $count - $family: $name: $detail";
    }
    $line =~ s/\n/ /g;
    print "$line\n";
    push @results, { method => $name, result => $result,
                     detail => $detail, family => $family };
    # a method's overall result: any failure, else any pass, else skipped
    my %rank = (skip => 1, pass => 2, fail => 3);
    $seen{$name} = $result
        if !$seen{$name} || $rank{$result} > $rank{$seen{$name}};
}

# Check one method: NAME is the Sys::Virt method (or an extra check's name,
# e.g. 'event:lifecycle'), CODE the checks. Reports one TAP line.
sub method {
    my ($name, $code) = @_;
    my $ok = eval { $code->(); 1 };
    return record($name, 'pass', '') if $ok;
    my $e = $@;
    if (ref $e eq 'VireoCompat::Fail') {
        record($name, 'fail', $e->{msg});
    } elsif (ref $e eq 'VireoCompat::Skip') {
        record($name, 'skip', $e->{msg});
    } elsif (my $why = host_limit($e)) {
        record($name, 'skip', $why);
    } else {
        my $d = describe_error($e);
        $d =~ s/ at \S+ line \d+\.?\s*$//;
        record($name, 'fail', "unexpected error: $d");
    }
}

# Run family NAME: BODY gets a fresh connection/domain from its own setup.
# A setup failure is one result line for the family.
sub family {
    my ($name, $body) = @_;
    return unless selected($name);
    $family = $name;
    note("family $name");
    my $ok = eval { $body->(); 1 };
    unless ($ok) {
        my $e = $@;
        if (my $why = host_limit($e)) {
            record('(setup)', 'skip', $why);
        } elsif (ref $e eq 'VireoCompat::Skip') {
            record('(setup)', 'skip', $e->{msg});
        } else {
            my $d = ref $e eq 'VireoCompat::Fail' ? $e->{msg} : describe_error($e);
            record('(setup)', 'fail', "family aborted: $d");
        }
    }
    $family = '';
}

# Mark METHOD as deliberately not tested (REASON), e.g. a binding bug.
my %untested;
sub untested { $untested{$_[0]} = $_[1] }

# Print the plan and the summary, write the Markdown table; exit status.
sub finish {
    print "1..$count\n";
    my ($p, $s, $f) = (0, 0, 0);
    my @missing;
    for my $m (@documented) {
        my $r = $seen{$m};
        if (!$r) { push @missing, $m unless $untested{$m}; next }
        $p++ if $r eq 'pass';
        $s++ if $r eq 'skip';
        $f++ if $r eq 'fail';
    }
    my ($op, $os, $of) = (0, 0, 0);
    for my $m (keys %seen) {
        next if exists $cfunc{$m};
        $op++ if $seen{$m} eq 'pass';
        $os++ if $seen{$m} eq 'skip';
        $of++ if $seen{$m} eq 'fail';
    }
    my @lines = (
        "methods: $p pass, $s skipped (unsupported), $f fail",
        "other checks (events, snapshots, connection): $op pass, $os skipped, $of fail",
        "documented methods: " . scalar(@documented) . ", not run: " .
            (!@missing ? 0 : $opt{families} ne '' ? scalar(@missing) . ' (families not selected)'
                       : scalar(@missing) . " (" . join(' ', @missing) . ")"),
    );
    push @lines, map { "not tested: $_ ($untested{$_})" } sort keys %untested;
    note(join("\n", @lines));
    if ($opt{summary}) {
        open(my $fh, '>', $opt{summary}) or die "$opt{summary}: $!\n";
        print $fh map { "# $_\n" } @lines;
        close($fh);
    }
    write_markdown(\@missing) if $opt{markdown};
    exit(grep({ $_->{result} eq 'fail' } @results) ? 1 : 0);
}

sub write_markdown {
    my ($missing) = @_;
    my %detail;
    for my $r (@results) {
        next unless $r->{result} eq $seen{$r->{method}};
        $detail{$r->{method}} //= $r->{detail};
    }
    open(my $fh, '>', $opt{markdown}) or die "$opt{markdown}: $!\n";
    print $fh "# Sys::Virt::Domain on vireo\n\n",
        "Generated by `tests/compat/sysvirt-domain.pl` (Debian's Sys::Virt)",
        " against `$opt{uri}`.\n",
        "*pass*: the documented behaviour was checked (values read back, ",
        "states reached, events received); *unsupported*: the call failed ",
        "with `VIR_ERR_NO_SUPPORT` or a host-capability error (the reason ",
        "follows); *FAIL*: anything else.\n\n",
        "| method | C function | result |\n|---|---|---|\n";
    my %label = (pass => 'pass', skip => 'unsupported', fail => 'FAIL');
    for my $m (@documented, sort grep { !exists $cfunc{$_} } keys %seen) {
        my $c = $cfunc{$m} // '';
        $c =~ s/,/, /g;
        my $res;
        if ($seen{$m}) {
            $res = $label{$seen{$m}};
            my $d = $detail{$m} // '';
            $d =~ s/\|/\\|/g;
            $res .= ": $d" if $seen{$m} ne 'pass' && $d ne '';
        } else {
            $res = $untested{$m} ? "not tested: $untested{$m}" : 'not run';
        }
        print $fh "| `$m` | $c | $res |\n";
    }
    close($fh);
}

1;
