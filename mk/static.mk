# static.mk: the sensor as a container (docs/containers.md).
#   make static   build/static/shellwatch: the same objects as build/shellwatch, linked statically
#                 (libbpf, libelf, zlib, json-c, glibc) as a static PIE, stripped; its debug info
#                 in build/static/shellwatch.debug (gdb finds it through the debuglink)
#   make image    the image of packaging/Containerfile (FROM scratch, the static binary alone),
#                 built offline with podman as $(IMAGE); prints its size
# `make static` is one more link of objects `make` built (about a second, no network, writes only
# into build/static), so the test build includes it: tests/containers/static.sh checks it. The
# image is not built by `make` or `make test-build`: it needs podman and writes into its image
# store; tests/containers/sensor_image.sh builds it where podman works.
# glibc links statically except for name services: in the image, getpwnam knows no user names
# (exceptions take `user=UID`) and --syslog-server takes an address, not a host name.
STATIC_DIR     := $(OUT)/static
STATIC_BIN     := $(STATIC_DIR)/shellwatch
STATIC_LDFLAGS ?= -static-pie -Wl,-z,relro,-z,now
STATIC_LDLIBS  ?= $(LDLIBS)
OBJCOPY        ?= objcopy
PODMAN         ?= podman
IMAGE          ?= localhost/shellwatch:latest
TEST_DEPS      += $(STATIC_BIN)

.PHONY: static image
static: $(STATIC_BIN)

# The linker's notes about getpwnam and getaddrinfo in a static program are expected (above);
# any other message is shown.
$(STATIC_BIN): $(OUT)/user/commands/main.o $(LIB)
	$(call msg,STATIC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $^ $(STATIC_LDFLAGS) $(STATIC_LDLIBS) -o $@.tmp 2>$@.ld || \
		{ cat $@.ld; rm -f $@.tmp; exit 1; }
	$(Q)grep -v -e 'in statically linked applications requires at runtime' \
		-e ': in function ' $@.ld || true
	$(Q)$(OBJCOPY) --only-keep-debug $@.tmp $@.debug
	$(Q)$(OBJCOPY) --strip-all --add-gnu-debuglink=$@.debug $@.tmp $@
	$(Q)rm -f $@.tmp $@.ld

image: $(STATIC_BIN)
	$(call msg,IMAGE,$(IMAGE))
	$(Q)echo shellwatch.debug >$(STATIC_DIR)/.containerignore
	$(Q)$(PODMAN) build --pull=never -q -f packaging/Containerfile -t $(IMAGE) $(STATIC_DIR)
	$(Q)$(PODMAN) image inspect --format '  size     {{.Size}} bytes' $(IMAGE)
