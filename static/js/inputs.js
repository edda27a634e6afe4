// The portal's date and file inputs (portal/forms.py), as the user types and picks. The pages work without it:
// the server prints a date's words when the form comes back, and the browser's own file input shows.
(() => {
  "use strict";

  // What portal.forms.DateInput, DateTimeInput and MonthInput accept, as [year, month, day, hour, minute].
  const DAY = String.raw`(\d{1,2})([/-])(\d{1,2})\2(\d{4})`;
  const TIME = String.raw`(\d{1,2})[.:]([0-5]?\d)`;
  const READERS = {
    date: [
      [new RegExp(`^${DAY}$`), (m) => [m[4], m[3], m[1]]],
      [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (m) => m.slice(1, 4)],
    ],
    datetime: [
      [new RegExp(`^${DAY}\\s+${TIME}$`), (m) => [m[4], m[3], m[1], m[5], m[6]]],
      [/^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})$/, (m) => m.slice(1, 6)],
    ],
    month: [[/^(\d{1,2})[/-](\d{4})$/, (m) => [m[2], m[1], 1]], [/^(\d{4})-(\d{1,2})$/, (m) => [m[1], m[2], 1]]],
  };

  function read(kind, text) {
    for (const [pattern, parts] of READERS[kind]) {
      const match = text.trim().match(pattern);
      if (!match) continue;
      const [year, month, day, hour = 0, minute = 0] = parts(match).map(Number);
      const moment = new Date(0);
      moment.setUTCFullYear(year, month - 1, day);
      moment.setUTCHours(hour, minute);
      const real = moment.getUTCMonth() === month - 1 && moment.getUTCDate() === day && hour < 24;
      return real ? moment : null;
    }
    return null;
  }

  // The server's words (date_format "j F Y", "l, j F Y, H.i T", "F Y"), from the browser's Indonesian calendar.
  function words(kind, moment, zone) {
    const say = (options) => new Intl.DateTimeFormat("id-ID", { timeZone: "UTC", ...options }).format(moment);
    if (kind === "month") return say({ month: "long", year: "numeric" });
    const day = say({ day: "numeric", month: "long", year: "numeric" });
    if (kind === "date") return day;
    const time = [moment.getUTCHours(), moment.getUTCMinutes()].map((n) => String(n).padStart(2, "0")).join(".");
    return `${say({ weekday: "long" })}, ${day}, ${time} ${zone}`;
  }

  for (const output of document.querySelectorAll(".typed-date-words")) {
    const input = document.getElementById(output.id.replace(/_words$/, ""));
    input.addEventListener("input", () => {
      const moment = read(output.dataset.kind, input.value);
      output.textContent = moment ? words(output.dataset.kind, moment, output.dataset.zone) : "";
    });
  }

  for (const choose of document.querySelectorAll(".file-choose")) {
    const input = choose.querySelector("label").control;
    const chosen = choose.querySelector(".file-chosen");
    const none = chosen.textContent;
    input.classList.add("visually-hidden");
    choose.hidden = false;
    input.addEventListener("change", () => {
      chosen.textContent = [...input.files].map((file) => file.name).join(", ") || none;
    });
  }

  // A form that came back refused: its error summary (templates/portal/_error_summary.html) takes the focus, so a
  // screen reader reads it and a phone scrolls to it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
