# fish completion for slimcap. Keep in sync with tools/cli.cpp; tests/cli/test_docs.cpp checks
# both directions.

set -l commands read live stats fanout

complete -c slimcap -f
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Print help and exit'
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version and exit'
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -a read -d 'Read pcap, pcapng and .zst captures'
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -a live -d 'Capture from an interface (not implemented yet)'
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -a stats -d 'Packet, byte and drop rates (not implemented yet)'
complete -c slimcap -n "not __fish_seen_subcommand_from $commands" -a fanout -d 'Capture with PACKET_FANOUT workers (not implemented yet)'

# read
complete -c slimcap -n '__fish_seen_subcommand_from read' -F
complete -c slimcap -n '__fish_seen_subcommand_from read' -s h -l help -d 'Print help and exit'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s r -r -F -d 'Read a capture file'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s F -r -F -d 'Read the filter expression from a file'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s c -x -d 'Stop after N matching packets'
complete -c slimcap -n '__fish_seen_subcommand_from read' -l count -d 'Print only the number of matching packets'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s w -r -F -d 'Write matching packets to a pcap file'
complete -c slimcap -n '__fish_seen_subcommand_from read' -l compress -d 'Compress the -w file with zstd (--compress=LEVEL)'
complete -c slimcap -n '__fish_seen_subcommand_from read' -l print -d 'Print packets while writing them'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s d -d 'Print the compiled filter program and exit'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s e -d 'Print the link-level header'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s x -d 'Hex dump (-xx: from the link header)'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s X -d 'Hex and ASCII dump (-XX: from the link header)'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s A -d 'ASCII dump'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s t -d 'Timestamp style (-t none ... -ttttt since first)'
complete -c slimcap -n '__fish_seen_subcommand_from read' -l nano -d 'Nanosecond timestamps'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s q -d 'Quick output'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s '#' -l number -d 'Print packet numbers'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s v -d 'More detail'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s n -d 'Accepted: names are never resolved'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s S -d 'Accepted: TCP numbers are always absolute'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s l -d 'Write each line at once'
complete -c slimcap -n '__fish_seen_subcommand_from read' -s U -d 'Write each packet to the -w file at once'
complete -c slimcap -n '__fish_seen_subcommand_from read' -l json -d 'One JSON object per packet'

# live, stats, fanout: not implemented yet
complete -c slimcap -n '__fish_seen_subcommand_from live stats fanout' -s h -l help -d 'Print help and exit'
