// The “being prepared” page: ask the download URL every few seconds whether the PDF is ready
// (HEAD: 200 when it is, 202 while another process still renders it), then start the download.
// Without JavaScript the “Download when ready” button does the same by hand.
const link = document.getElementById("being-prepared-download");
const status = document.getElementById("being-prepared-status");
if (link) {
  const every = Math.max(2, Number(link.dataset.retryAfter) || 5) * 1000;
  let tries = 0;
  const check = async () => {
    tries += 1;
    try {
      const response = await fetch(link.href, { method: "HEAD", credentials: "same-origin" });
      if (response.status === 200) {
        if (status) status.textContent = "The PDF is ready: downloading it now.";
        window.location.assign(link.href);
        return;
      }
    } catch {
      // Offline for a moment: try again at the next tick.
    }
    if (tries < 60) window.setTimeout(check, every);
    else if (status) status.textContent = "It is taking longer than usual: try the button again later.";
  };
  window.setTimeout(check, every);
}
