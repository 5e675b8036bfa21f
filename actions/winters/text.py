"""A clone preview as plain lines, for the command line."""

from actions.winters.services import ClonePreview


def preview_lines(preview: ClonePreview) -> list[str]:
    """The preview's sections, one line per key area or requirement."""
    lines = [f"{preview.source.slug} → {preview.slug} ({preview.national_plan.slug}), "
             f"as at {preview.as_at:%d/%m/%Y}: “{preview.title}”"]
    lines.append(f"Matched key areas: {len(preview.matched)}")
    lines += [f"  {m.old.key_area.title} → {m.new.title} (by {m.how})" for m in preview.matched]
    lines.append(f"New key areas: {len(preview.new_areas)}")
    lines += [f"  {area.title}" for area in preview.new_areas]
    lines.append(f"Dropped key areas: {len(preview.dropped)}")
    lines += [f"  {area.key_area.title}" for area in preview.dropped]
    mapped = [r for r in preview.requirements if r.how == "mapping"]
    lines.append(f"Requirements mapped: {len(mapped)}; same ref: "
                 f"{len(preview.requirements) - len(mapped)}; "
                 f"not carried: {len(preview.unmatched_refs)}")
    lines += [f"  {r.old_ref} → {r.new_ref}" for r in mapped]
    lines.append(f"Actions carried: {preview.actions} ({preview.deadlines_needed} need a "
                 f"deadline); commentary carried: {preview.commentary}")
    lines += [f"Error: {error}" for error in preview.errors]
    return lines
