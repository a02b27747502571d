// Phones: the menu and the page's contents open as dialogs (pydata-sphinx-theme). Following a
// link of the page's contents stays on the page, where the dialog would still hide the text:
// close the dialog; the browser then follows the link.
document.addEventListener("click", (event) => {
  const link = event.target.closest("dialog a[href]");
  if (link) link.closest("dialog").close();
});
