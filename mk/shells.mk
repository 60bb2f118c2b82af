# shells.mk: helpers of the red-team suite (tests/shells/): the C reverse shell that uses dup3 and
# fcntl(F_DUPFD). Built as a test dependency, not named test_* so tests/run does not run it alone.
SHELLS_C_DUP3 := $(OUT)/tests/c_dup3_fcntl
TEST_DEPS     += $(SHELLS_C_DUP3)

$(SHELLS_C_DUP3): tests/shells/c_dup3_fcntl.c | $(OUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -MMD -MP -MF $@.d $< $(LDFLAGS) -o $@
