# Prints what Perl's Socket::getaddrinfo answers for one name, in order.
use strict;
use warnings;
use Socket qw(:addrinfo AF_INET AF_INET6 AF_UNSPEC SOCK_STREAM SOCK_DGRAM inet_ntop
  unpack_sockaddr_in unpack_sockaddr_in6);

my $name = shift @ARGV;
for my $hints (
  { socktype => SOCK_STREAM },
  { family => AF_UNSPEC, socktype => SOCK_STREAM, flags => AI_CANONNAME },
  { family => AF_INET, socktype => SOCK_DGRAM, flags => AI_CANONNAME },
  { family => AF_INET6, socktype => SOCK_STREAM, flags => AI_V4MAPPED | AI_ALL },
) {
  my $label = join ',', map { "$_=$hints->{$_}" } sort keys %$hints;
  my ($err, @results) = getaddrinfo($name, "", $hints);
  if ($err) {
    printf "%s error %d %s\n", $label, $err + 0, "$err";
    next;
  }
  for my $ai (@results) {
    my ($port, $addr) = $ai->{family} == AF_INET6
      ? (unpack_sockaddr_in6($ai->{addr}))[0, 1]
      : unpack_sockaddr_in($ai->{addr});
    printf "%s %d %d %d %s %s\n", $label, $ai->{family}, $ai->{socktype}, $ai->{protocol},
      inet_ntop($ai->{family}, $addr), $ai->{canonname} // '-';
  }
}
