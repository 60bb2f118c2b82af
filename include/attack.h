/* attack.h: what an alert means to a SIEM, for every output format alike: a stable rule id, a
 * one-line description of the rule, the MITRE ATT&CK techniques it shows (T1059 and its
 * sub-technique by the interpreter; T1095 and T1571 for the network channel), and the numeric
 * severity and risk score (ECS event.severity, event.risk_score). */
#ifndef SW_ATTACK_H
#define SW_ATTACK_H

#include <stddef.h>
#include "alert.h"

#define ATTACK_VERSION "v14"     /* the ATT&CK release the ids and names below are from */
#define ATTACK_MAX 3

struct attack_ref {
	const char *id, *name;            /* "T1059.004", "Unix Shell" */
	const char *parent_id, *parent_name; /* of a sub-technique: "T1059", "Command and ..."; else NULL */
	const char *tactic_id, *tactic_name; /* "TA0002", "Execution" */
};

/* The techniques of a, most specific first; returns how many (1 to ATTACK_MAX). */
unsigned alert_attacks(const struct alert *a, struct attack_ref *out);
/* "https://attack.mitre.org/techniques/T1059/004/" (or tactics/TA0002/) for an id. */
void attack_url(const char *id, char *buf, size_t len);

/* The rule's stable id: "SW-1001" for the built-in rules and facts (a fixed table), "SW-X"
 * and 8 hex digits of a hash of the name for a rule of a --rules file. */
const char *alert_rule_id(const struct alert *a, char *buf, size_t len);
/* What the alert's rule or fact means, one sentence. */
const char *alert_rule_desc(const struct alert *a);

/* ECS event.severity: 21 low, 47 medium, 73 high (Elastic's rule severities). */
int alert_severity_score(enum severity s);
/* ECS event.risk_score, 0-100: the severity's score plus what the signals add (network facts
 * and a rule most, what the program is and the command scores less), never reaching the next
 * severity's score. The strength of each signal is the one of the judge's signal table. */
double alert_risk_score(const struct alert *a);

#endif /* SW_ATTACK_H */
