package incident

import "errors"

// Authorize is Permit plus the rules that depend on the record acted on:
// only the command center (or the facilitator) closes an incident whose
// priority goes to the command center, and a technician makes parents only
// of incidents that do not. record may be empty or name a record of any
// kind; a number the Book does not know is left for the operation itself
// to refuse as not_found. Group membership (is this technician in the
// assigned group?) is the engine's to check: the Book does not know people.
func (b *Book) Authorize(op Op, role Role, record string) error {
	if err := Permit(op, role); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Record = record
		}
		return err
	}
	inc, ok := lookup(b.incidents, prefixIncident, record)
	if !ok || role == RoleFacilitator {
		return nil
	}
	high := b.policy.NeedsCommandCenter(inc.Priority)
	switch {
	case op == OpClose && high && role != RoleCommandCenter:
		return refuse(Forbidden, op, inc.Number, "%s is P%d; the command center closes %s incidents", inc.Number, inc.Priority, priorities(b.policy.CommandCenterFor))
	case op == OpMakeParent && high && role == RoleTechnician:
		return refuse(Forbidden, op, inc.Number, "%s is P%d; a technician makes parents of lower priorities only, so ask the incident manager", inc.Number, inc.Priority)
	}
	return nil
}
