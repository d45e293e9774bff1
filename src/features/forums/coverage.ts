/**
 * The coverage report, as a pure function: which seats are empty, whose terms end soon, who
 * holds too many seats, and which seats were filled by invitation rather than election
 * (DOMAIN.md, "Forums, partnerships and seats").
 */
export interface CoverageSeat {
  seatId: string;
  partnership: string;
  label: string;
  selectionMethod: string;
  holdings: { personId: string; personName: string; endsOn: Date; filledBy: string }[];
}

export interface CoverageReport {
  vacant: { seatId: string; partnership: string; label: string }[];
  endingSoon: { seatId: string; partnership: string; label: string; personName: string; endsOn: Date }[];
  overloaded: { personId: string; personName: string; seats: number }[];
  invited: { seatId: string; partnership: string; label: string; personName: string }[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function coverageReport(seats: CoverageSeat[], now: Date, opts = { endingWithinDays: 60, maxSeats: 3 }): CoverageReport {
  const horizon = new Date(now.getTime() + opts.endingWithinDays * DAY_MS);
  const report: CoverageReport = { vacant: [], endingSoon: [], overloaded: [], invited: [] };
  const perPerson = new Map<string, { personName: string; seats: number }>();
  for (const seat of seats) {
    const current = seat.holdings.filter((h) => h.endsOn > now);
    const where = { seatId: seat.seatId, partnership: seat.partnership, label: seat.label };
    if (current.length === 0) report.vacant.push(where);
    for (const h of current) {
      if (h.endsOn <= horizon) report.endingSoon.push({ ...where, personName: h.personName, endsOn: h.endsOn });
      if (h.filledBy === 'INVITED') report.invited.push({ ...where, personName: h.personName });
      const p = perPerson.get(h.personId) ?? { personName: h.personName, seats: 0 };
      p.seats++;
      perPerson.set(h.personId, p);
    }
  }
  for (const [personId, p] of perPerson) if (p.seats > opts.maxSeats) report.overloaded.push({ personId, ...p });
  report.endingSoon.sort((a, b) => a.endsOn.getTime() - b.endsOn.getTime());
  report.overloaded.sort((a, b) => b.seats - a.seats);
  return report;
}

/** A term's end: the start plus the seat's term in months (same day of month, clamped). */
export function termEnd(start: Date, months: number): Date {
  const end = new Date(start);
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, last));
  return end;
}
