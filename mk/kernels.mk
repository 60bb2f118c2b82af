# kernels.mk: feature-probing test fixture and the qemu kernel matrix (issue 5, docs/kernels.md).
#   make test-kernels    boot each kernel of tests/kernels/kernels.list under qemu (TCG) and run the
#                        live smoke test inside; KERNELS="6.1 6.12" picks a subset.
# BPF objects for tests/unit/test_probe.c, as skeletons (no vmlinux.h: uapi headers only).
$(OUT)/tests/probe_%.bpf.o: tests/unit/probe_%.bpf.c | $(OUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall -Wno-unused-function \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/probe_%.skel.h: $(OUT)/tests/probe_%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name probe_$* > $@

$(OUT)/tests/test_probe.o: $(OUT)/probe_fixture.skel.h $(OUT)/probe_guarded.skel.h

.PHONY: test-kernels
test-kernels: all $(OUT)/tests/test_probe
	$(Q)SW_BUILD=$(abspath $(OUT)) tests/kernels/matrix $(KERNELS)
