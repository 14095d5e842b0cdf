/* The check-in desk (templates/events/desk.html).
 *
 * Every scan (a USB scanner typing the ticket into the field and pressing Enter, or a QR code
 * read by the phone camera) is first put in this browser's queue (localStorage) with an id made
 * here and the time it was scanned, then sent as JSON, oldest first. A scan that cannot be sent
 * (no connection, server down, signed out) stays queued, the page says "N scans waiting to be
 * sent", and the queue is sent again when the connection returns (the "online" event, and every
 * 10 seconds). The server answers an id it has seen with its first answer, so a scan sent twice
 * is recorded once. Without JavaScript the form posts to the page as before.
 *
 * The camera uses getUserMedia and the vendored jsQR (static/vendor/jsqr-1.4.0, Apache-2.0).
 * No inline script: the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";

  var form = document.getElementById("desk-scan-form");
  if (!form || !window.fetch || !window.localStorage || !window.JSON) {
    return;
  }
  var texts = JSON.parse(document.getElementById("desk-texts").textContent);
  var url = form.getAttribute("data-scan-url");
  var key = "huifu.desk.queue." + form.getAttribute("data-session");
  var tokenField = form.querySelector("[name=token]");
  var deskField = form.querySelector("[name=desk]");
  var pageCsrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var queueLine = document.getElementById("desk-queue");
  var log = document.getElementById("desk-log");
  var counts = document.getElementById("desk-counts");
  var sending = false;
  var retryTimer = null;
  var RETRY_MS = 10000;

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function save(queue) {
    window.localStorage.setItem(key, JSON.stringify(queue));
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return String(values[name]);
    });
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function note(text, kind) {
    var item = document.createElement("li");
    item.className = "message message-" + kind;
    item.style.listStyle = "none";
    item.textContent = text;
    log.insertBefore(item, log.firstChild);
    while (log.children.length > 30) {
      log.removeChild(log.lastChild);
    }
  }

  function showQueue(problem) {
    var waiting = load().length;
    if (!waiting) {
      queueLine.hidden = true;
      queueLine.textContent = "";
      return;
    }
    queueLine.hidden = false;
    queueLine.textContent = format(texts.waiting, { count: waiting }) + (problem ? "。" + problem : "");
  }

  function forget(id) {
    save(load().filter(function (scan) {
      return scan.id !== id;
    }));
  }

  function retryLater() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        flush();
      }, RETRY_MS);
    }
  }

  // The CSRF cookie's current value (it changes when the clerk signs in again in another tab),
  // else the token the page was rendered with.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : pageCsrf;
  }

  function Kept(kind) {
    this.kind = kind;
  }

  // Send the oldest queued scan; on an answer, forget it and go on; on no answer, keep the queue.
  function flush() {
    if (sending) {
      return;
    }
    var queue = load();
    if (!queue.length) {
      showQueue();
      return;
    }
    sending = true;
    var scan = queue[0];
    var body = {
      scan_id: scan.id,
      token: scan.token,
      desk: scan.desk,
      scanned_at: scan.scanned_at,
      sent_at: new Date().toISOString()
    };
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status >= 500) {
        throw new Kept("server");
      }
      if (type.indexOf("application/json") === -1) {
        throw new Kept("signin");  // a login page or the CSRF failure page: not an answer
      }
      return response.json().then(function (data) {
        if (response.status === 200) {
          forget(scan.id);
          note(data.message, data.outcome === "checked_in" ? "success" : "warning");
          if (data.counts) {
            counts.textContent = format(texts.counts, { done: data.counts.checked_in, total: data.counts.confirmed });
          }
        } else if (response.status === 400) {
          forget(scan.id);  // refused for good (forged ticket, other session …): say why
          note(data.message, "error");
        } else {
          throw new Kept("signin");  // 401, 403, 404: keep it until someone may send it
        }
      });
    }).then(function () {
      sending = false;
      flush();
    }, function (error) {
      sending = false;
      var kind = error instanceof Kept ? error.kind : "offline";
      showQueue(texts[kind] || texts.offline);
      retryLater();
    });
  }

  function enqueue(token) {
    token = (token || "").trim();
    if (!token) {
      return;
    }
    var queue = load();
    queue.push({ id: newId(), token: token, desk: deskField.value.trim(), scanned_at: new Date().toISOString() });
    save(queue);
    showQueue();
    flush();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    enqueue(tokenField.value);
    tokenField.value = "";
    tokenField.focus();
  });
  window.addEventListener("online", flush);
  showQueue();
  flush();  // scans left from an earlier visit of this page

  // --- the camera -----------------------------------------------------------------------------
  var cameraButton = document.getElementById("desk-camera");
  var cameraBox = document.getElementById("desk-camera-box");
  var video = document.getElementById("desk-video");
  var stopButton = document.getElementById("desk-camera-stop");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var last = { token: "", at: 0 };
  var SAME_TICKET_MS = 5000;  // the same code held in front of the camera counts once

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    cameraBox.hidden = true;
    cameraButton.hidden = false;
    tokenField.focus();
  }

  function look() {
    if (!stream) {
      return;
    }
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      var scale = Math.min(1, 800 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        var now = Date.now();
        if (code.data !== last.token || now - last.at > SAME_TICKET_MS) {
          enqueue(code.data);
        }
        last = { token: code.data, at: now };
      }
    }
    window.setTimeout(look, 150);
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      note(texts.camera_unavailable, "error");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      cameraBox.hidden = false;
      cameraButton.hidden = true;
      video.play();
      look();
    }, function () {
      note(texts.camera_unavailable, "error");
    });
  }

  if (cameraButton && window.jsQR) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", stopCamera);
  }
})();
