#!/usr/bin/perl
# load.pl: Debian's Sys::Virt runs on our libvirt.so.0 (LD_LIBRARY_PATH set by
# the caller to BUILD_SRC_DIR, given as the first argument).
use strict;
use warnings;
use Sys::Virt;

my $libdir = shift or die "usage: load.pl BUILD_SRC_DIR\n";
my $n = 0;
my $failed = 0;
sub check {
    my ($ok, $what) = @_;
    $n++;
    print(($ok ? "ok" : "not ok") . " $n - $what\n");
    $failed++ unless $ok;
    return $ok;
}

# which libvirt.so.0 did the dynamic linker map into this process?
open(my $maps, "<", "/proc/self/maps") or die "maps: $!";
my %libs = map { (split)[-1] => 1 } grep { m{/libvirt\.so} } <$maps>;
close($maps);
my @paths = keys %libs;
my $real = `readlink -f $libdir/libvirt.so.0`;
chomp $real;
check(@paths == 1 && $paths[0] eq $real,
      "the mapped libvirt.so is ours (" . join(",", @paths) . ")");

my $conn = Sys::Virt->new(uri => "test:///default");
check($conn, "connected to test:///default");
check($conn->get_type() eq "Test", "driver type is Test");
my @doms = $conn->list_all_domains();
check(@doms == 1 && $doms[0]->get_name() eq "test", "one domain named test");
my $info = $doms[0]->get_info();
check($info->{state} == Sys::Virt::Domain::STATE_RUNNING, "test is running");
check($doms[0]->get_id() == 1, "its id is 1");

# an unimplemented call: a clean Sys::Virt::Error with VIR_ERR_NO_SUPPORT
eval { $conn->list_all_networks(); };
my $err = $@;
check(ref($err) && $err->isa("Sys::Virt::Error"), "error object raised");
check(ref($err) && $err->code == Sys::Virt::Error::ERR_NO_SUPPORT,
      "code is NO_SUPPORT (" . (ref($err) ? $err->code : $err) . ")");
check(ref($err) && $err->message =~ /virConnectListAllNetworks/,
      "message names the function");

# an unknown domain: NO_DOMAIN
eval { $conn->get_domain_by_name("nosuch"); };
$err = $@;
check(ref($err) && $err->code == Sys::Virt::Error::ERR_NO_DOMAIN,
      "unknown domain gives NO_DOMAIN");

# an unknown URI: NO_CONNECT
eval { Sys::Virt->new(uri => "bogus:///x"); };
$err = $@;
check(ref($err) && $err->code == Sys::Virt::Error::ERR_NO_CONNECT,
      "unknown URI gives NO_CONNECT");

# events through Sys::Virt::Event's default loop
Sys::Virt::Event::register_default();
my $ev = Sys::Virt->new(uri => "test:///default");
my @seen;
my $cbid = $ev->domain_event_register_any(undef,
    Sys::Virt::Domain::EVENT_ID_LIFECYCLE,
    sub { my ($con, $dom, $event, $detail) = @_;
          push @seen, [$dom->get_name(), $event, $detail]; });
check($cbid > 0, "domain_event_register_any gives an id");
$ev->get_domain_by_name("test")->suspend();
for (my $i = 0; $i < 50 && !@seen; $i++) {
    Sys::Virt::Event::add_timeout(10, sub { Sys::Virt::Event::remove_timeout($_[0]) });
    Sys::Virt::Event::run_default();
}
check(@seen == 1 && $seen[0][0] eq "test" &&
      $seen[0][1] == Sys::Virt::Domain::EVENT_SUSPENDED,
      "lifecycle callback got SUSPENDED for test");
$ev->domain_event_deregister_any($cbid);

print "1..$n\n";
exit($failed ? 1 : 0);
