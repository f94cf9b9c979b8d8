// After a failed submission the error summary (templates/includes/error_summary.html) takes focus,
// so keyboard and screen-reader users start at the list of what to correct.
// Tables collapse into lists on a phone (static/css/portal.css): cells the template did not label
// get their column heading as label here, so no line on a phone is left without its meaning.
document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
        summary.focus();
    }
    document.querySelectorAll("table.table").forEach(function (table) {
        var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
            return th.textContent.trim();
        });
        table.querySelectorAll("tbody tr").forEach(function (row) {
            Array.prototype.forEach.call(row.children, function (cell, index) {
                if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && headings[index]) {
                    cell.setAttribute("data-label", headings[index]);
                }
            });
        });
    });
});
