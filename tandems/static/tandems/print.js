// "Print the letter": a button with data-print prints the page (no inline script, so a strict CSP holds).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
