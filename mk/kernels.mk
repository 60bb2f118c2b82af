# kernels.mk: feature-probing test fixture and the qemu kernel matrix (issue 5, docs/kernels.md).
#   make test-kernels    boot each kernel of tests/kernels/kernels.list under qemu (TCG) and run the
#                        live smoke test inside; KERNELS="6.1 6.12" picks a subset.
PROBE_FIXTURE := $(OUT)/tests/probe_fixture.bpf.o

$(PROBE_FIXTURE): tests/unit/probe_fixture.bpf.c | $(OUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall -Wno-unused-function \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/probe_fixture.skel.h: $(PROBE_FIXTURE)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name probe_fixture > $@

$(OUT)/tests/test_probe.o: $(OUT)/probe_fixture.skel.h

.PHONY: test-kernels
test-kernels: all $(OUT)/tests/test_probe
	$(Q)SW_BUILD=$(abspath $(OUT)) tests/kernels/matrix $(KERNELS)
