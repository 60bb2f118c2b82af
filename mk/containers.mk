# containers.mk: the container tests' helper (tests/containers/, docs/containers.md): ctr_probe, the
# container library (user/containers/) on live data. Named without test_ so tests/run does not run
# it alone; the shell tests there do.
CTR_PROBE := $(OUT)/tests/ctr_probe
TEST_DEPS += $(CTR_PROBE)

$(CTR_PROBE): tests/containers/ctr_probe.c $(CORE_LIB) | $(OUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -MF $@.d $< $(CORE_LIB) $(LDFLAGS) \
		$(CORE_LDLIBS) -o $@
