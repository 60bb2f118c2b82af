# install.mk: `make install` and `make uninstall`: the binary, the man page and the systemd unit.
#   make install [PREFIX=/usr/local] [DESTDIR=staging-root]
# Paths: $(BINDIR)/shellwatch, $(MANDIR)/man8/shellwatch.8, $(UNITDIR)/shellwatch.service (its
# ExecStart names $(BINDIR), without DESTDIR). systemd is not reloaded here: the command to do it is
# printed, since a staged install (DESTDIR) must not touch the running system.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
UNIT_OUT := $(OUT)/packaging/shellwatch.service

.PHONY: install uninstall $(UNIT_OUT)
# Always regenerated: it depends on BINDIR, which the file's date cannot tell.
$(UNIT_OUT): packaging/shellwatch.service.in
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D) && sed 's|@BINDIR@|$(BINDIR)|g' $< >$@

install: $(BIN) $(UNIT_OUT)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/shellwatch
	$(Q)$(INSTALL) -D -m 0644 docs/shellwatch.8 $(DESTDIR)$(MANDIR)/man8/shellwatch.8
	$(Q)$(INSTALL) -D -m 0644 $(UNIT_OUT) $(DESTDIR)$(UNITDIR)/shellwatch.service
	@echo "  then: systemctl daemon-reload && systemctl enable --now shellwatch"

uninstall:
	$(call msg,REMOVE,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(BINDIR)/shellwatch $(DESTDIR)$(MANDIR)/man8/shellwatch.8 \
		$(DESTDIR)$(UNITDIR)/shellwatch.service
