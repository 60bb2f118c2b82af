/* version.h: shellwatch's version, the one place it is written (--version, agent.version, the
 * metrics' build_info; packaging/debian/changelog carries the same, tests/packaging/deb.sh checks). */
#ifndef SW_VERSION_H
#define SW_VERSION_H

#define SW_VERSION "0.1"

#endif /* SW_VERSION_H */
