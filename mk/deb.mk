# deb.mk: `make deb`: the Debian package (debhelper, packaging/debian/), built from a copy of the
# tree (everything but build directories and .git) in $(OUT)/deb/shellwatch-VERSION with
# `dpkg-buildpackage -b`, so the working tree and its build/ are left alone. The package:
# build/deb/shellwatch_VERSION_ARCH.deb; install it with `apt-get install ./build/deb/shellwatch_*.deb`.
# It has /usr/sbin/shellwatch (built with Debian's hardening flags), the man page, the systemd
# unit (packaging/shellwatch.service.in, enabled and started on install by dh_installsystemd),
# /etc/shellwatch/exceptions.conf and /etc/default/shellwatch as conffiles, and the network drop-in
# example. tests/packaging/deb.sh builds, installs, checks and removes it.
DEB_VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' packaging/debian/changelog)
DEB_DIR     := $(OUT)/deb
DEB_SRC     := $(DEB_DIR)/shellwatch-$(DEB_VERSION)

.PHONY: deb
deb:
	$(call msg,DEB,$(DEB_DIR))
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(Q)tar -c --exclude=./.git --exclude='./build' --exclude='./build-*' . | tar -x -C $(DEB_SRC)
	$(Q)cp -r packaging/debian $(DEB_SRC)/debian
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -j$(shell nproc) >../build.log 2>&1 || \
		{ tail -n 30 ../build.log; exit 1; }
	$(Q)ls -l $(DEB_DIR)/*.deb
