# Prints what Perl's core gethostbyname / gethostbyaddr builtins answer (list
# and scalar context), and $? (h_errno) when they fail.
#   perlsurface.pl byname NAME | byaddr ADDRESS
use strict;
use warnings;
use Socket qw(AF_INET AF_INET6 inet_ntop inet_pton);

my ($mode, $arg) = @ARGV;
sub show_hostent {
  my ($label, @entry) = @_;
  if (!@entry) {
    printf "%s error h_errno=%d\n", $label, $?;
    return;
  }
  my ($name, $aliases, $addrtype, $length, @addrs) = @entry;
  printf "%s name=%s aliases=[%s] addrtype=%d length=%d addrs=[%s]\n", $label, $name, $aliases,
    $addrtype, $length, join(' ', map { inet_ntop($addrtype, $_) } @addrs);
}

if ($mode eq 'byname') {
  show_hostent("gethostbyname($arg)", gethostbyname($arg));
  my $packed = gethostbyname($arg);
  printf "scalar gethostbyname(%s) %s\n", $arg,
    defined $packed ? inet_ntop(AF_INET, $packed) : "undef h_errno=$?";
} elsif ($mode eq 'byaddr') {
  my $family = $arg =~ /:/ ? AF_INET6 : AF_INET;
  my $packed = inet_pton($family, $arg) // die "bad address $arg\n";
  show_hostent("gethostbyaddr($arg)", gethostbyaddr($packed, $family));
  my $name = gethostbyaddr($packed, $family);
  printf "scalar gethostbyaddr(%s) %s\n", $arg, defined $name ? $name : "undef h_errno=$?";
} else {
  die "usage: perlsurface.pl byname NAME | byaddr ADDRESS\n";
}
