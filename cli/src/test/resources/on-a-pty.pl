#!/usr/bin/perl
# on-a-pty.pl CMD [ARG...]: runs CMD with stdout and stderr on a new pseudo-terminal that is nobody's
# controlling terminal (the master and the slave are opened with O_NOCTTY, CMD's session is this one's), copies
# what CMD writes there to this script's stdout (with the terminal's \r\n), prints "pid PID exit N" to stderr once
# CMD has exited and the terminal has no other writer, and keeps the terminal until its own stdin ends (a terminal
# whose master closes hangs up, which undoes whatever made it a controlling terminal: look before that).
# For DaemonIT: a root daemon that is a session leader must not make a client's terminal its own. perl-base is
# Essential in Debian, so this needs nothing installed.
use strict;
use warnings;
use Fcntl;
use POSIX ();

my ($TIOCGPTN, $TIOCSPTLCK) = (0x80045430, 0x40045431); # <asm-generic/ioctls.h>
sysopen(my $master, "/dev/ptmx", O_RDWR | O_NOCTTY) or die "/dev/ptmx: $!\n";
my $unlock = pack("i", 0);
ioctl($master, $TIOCSPTLCK, $unlock) or die "unlockpt: $!\n";
my $n = pack("i", 0);
ioctl($master, $TIOCGPTN, $n) or die "ptsname: $!\n";
my $name = "/dev/pts/" . unpack("i", $n);
sysopen(my $slave, $name, O_RDWR | O_NOCTTY) or die "$name: $!\n";
my $pid = fork() // die "fork: $!\n";
if ($pid == 0) {
    close $master;
    POSIX::dup2(fileno($slave), 1) or die "dup2: $!\n";
    POSIX::dup2(fileno($slave), 2) or die "dup2: $!\n";
    close $slave;
    exec { $ARGV[0] } @ARGV or POSIX::_exit(127);
}
close $slave;
binmode STDOUT;
# the master reads until every slave descriptor is closed (then EIO): CMD's and anything it handed them to
while (1) {
    my $got = sysread($master, my $buf, 65536);
    last if !$got;
    print STDOUT $buf;
}
waitpid($pid, 0);
print STDERR "pid $pid exit ", $? >> 8, "\n";
STDERR->flush();
1 while <STDIN>;
close $master;
