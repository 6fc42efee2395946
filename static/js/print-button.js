// Buttons marked data-print print the page (a script file: the Content-Security-Policy allows
// no inline event handler).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
