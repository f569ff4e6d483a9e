/* Progressive enhancement for films: the player, transcript and job state work without this file too. */
(function () {
  'use strict';

  // Captions on by default in the learner's variant (the <track default>), whatever the browser chose.
  function showDefaultCaptions(video) {
    var elements = video.querySelectorAll('track');
    for (var i = 0; i < elements.length; i++) {
      var track = elements[i].track;
      if (elements[i].hasAttribute('default')) track.mode = 'showing';
      else if (track.mode === 'showing') track.mode = 'hidden';
    }
  }

  function setUpTranscript(video, box) {
    var lines = box.querySelectorAll('[data-start]');
    var current = null;
    Array.prototype.forEach.call(lines, function (line) {
      // Each line becomes a button that plays the film from where the line is said.
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'transcript__jump';
      while (line.firstChild) button.appendChild(line.firstChild);
      line.appendChild(button);
      button.addEventListener('click', function () {
        video.currentTime = parseFloat(line.getAttribute('data-start')) + 0.01;
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () {});
      });
    });
    function mark() {
      var t = video.currentTime;
      var found = null;
      for (var i = 0; i < lines.length; i++) {
        if (
          t >= parseFloat(lines[i].getAttribute('data-start')) &&
          t < parseFloat(lines[i].getAttribute('data-end'))
        ) {
          found = lines[i];
          break;
        }
      }
      if (found === current) return;
      if (current) {
        current.classList.remove('is-current');
        current.querySelector('button').removeAttribute('aria-current');
      }
      current = found;
      if (!current) return;
      current.classList.add('is-current');
      current.querySelector('button').setAttribute('aria-current', 'true');
      // Keep the current line in view inside the transcript box, without moving the page.
      var top = current.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top + current.offsetHeight > box.scrollTop + box.clientHeight)
        box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
    video.addEventListener('timeupdate', mark);
    video.addEventListener('seeked', mark);
  }

  // Captions drawn below the film, not over it: they never cover text burnt into the picture, and they
  // are at least as large as the page's body text (the browser's own captions were ~9 px on a phone).
  // In full screen the browser's own captions take over, since the box below is not visible there.
  function setUpCaptionBox(video, box, sizeSelect) {
    var current = null;
    var busy = false;
    function render() {
      var cues =
        current && current.activeCues
          ? Array.prototype.map.call(current.activeCues, function (c) {
              return c.text;
            })
          : [];
      box.textContent = '';
      cues.forEach(function (text) {
        var line = document.createElement('p');
        line.className = 'film__caption-line';
        line.textContent = text.replace(/<[^>]*>/g, '');
        box.appendChild(line);
      });
    }
    function adopt() {
      if (busy) return;
      busy = true;
      var full = document.fullscreenElement === video;
      var tracks = video.textTracks;
      var chosen = null;
      for (var i = 0; i < tracks.length; i++)
        if (tracks[i].mode === 'showing' || (tracks[i] === current && tracks[i].mode === 'hidden'))
          chosen = chosen || tracks[i];
      if (chosen !== current) {
        if (current) current.removeEventListener('cuechange', render);
        current = chosen;
        if (current) current.addEventListener('cuechange', render);
      }
      if (current) current.mode = full ? 'showing' : 'hidden';
      box.hidden = !current || full;
      render();
      busy = false;
    }
    if (sizeSelect) {
      var saved = null;
      try {
        saved = localStorage.getItem('caption-size');
      } catch (e) {
        /* private mode */
      }
      if (saved && sizeSelect.querySelector('option[value="' + saved + '"]')) sizeSelect.value = saved;
      box.setAttribute('data-size', sizeSelect.value);
      sizeSelect.addEventListener('change', function () {
        box.setAttribute('data-size', sizeSelect.value);
        try {
          localStorage.setItem('caption-size', sizeSelect.value);
        } catch (e) {
          /* private mode */
        }
      });
    }
    video.textTracks.addEventListener('change', function () {
      setTimeout(adopt, 0);
    });
    document.addEventListener('fullscreenchange', adopt);
    adopt();
    return adopt;
  }

  Array.prototype.forEach.call(document.querySelectorAll('video[data-player]'), function (video) {
    showDefaultCaptions(video);
    var captionBox = document.querySelector('[data-captions="' + video.id + '"]');
    var sizeSelect = document.querySelector('[data-caption-size="' + video.id + '"]');
    var sizeWrap = document.querySelector('[data-caption-size-wrap]');
    var adoptCaptions = captionBox ? setUpCaptionBox(video, captionBox, sizeSelect) : null;
    if (sizeWrap && captionBox) sizeWrap.hidden = false;
    video.addEventListener(
      'loadedmetadata',
      function () {
        showDefaultCaptions(video);
        if (adoptCaptions) adoptCaptions();
      },
      { once: true },
    );
    var section = video.closest('section') || document;
    var speed = section.querySelector('[data-speed]');
    var wrap = section.querySelector('[data-speed-wrap]');
    if (speed && wrap) {
      wrap.hidden = false;
      var saved = window.localStorage && localStorage.getItem('film-rate');
      if (saved && speed.querySelector('option[value="' + saved + '"]')) {
        speed.value = saved;
        video.playbackRate = parseFloat(saved);
      }
      speed.addEventListener('change', function () {
        video.playbackRate = parseFloat(speed.value);
        try {
          localStorage.setItem('film-rate', speed.value);
        } catch (e) {
          /* private mode */
        }
      });
      video.addEventListener('loadedmetadata', function () {
        video.playbackRate = parseFloat(speed.value);
      });
    }
    var box = document.getElementById(video.getAttribute('data-transcript'));
    if (box) setUpTranscript(video, box);
  });

  // The educator's film page: follow the job's state and progress, announced in a polite live region.
  var status = document.querySelector('[data-video-status]');
  if (
    status &&
    window.fetch &&
    (status.dataset.state === 'queued' || status.dataset.state === 'processing')
  ) {
    var text = status.querySelector('[data-status-text]');
    var bar = status.querySelector('[data-progress]');
    var last = text.textContent.trim();
    var poll = function () {
      fetch(status.dataset.videoStatus, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      })
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (s) {
          if (!s) return;
          if (bar) {
            bar.value = s.progress;
            bar.textContent = s.progress + ' %';
          }
          // Announce state changes, and progress only every 10 % so a screen reader is not flooded.
          var announce =
            s.state !== status.dataset.state ||
            Math.floor(s.progress / 10) !== Math.floor((status.dataset.progress || 0) / 10);
          status.dataset.progress = s.progress;
          if (announce && s.text !== last) {
            text.textContent = s.text;
            last = s.text;
          }
          if (s.state === 'ready' || s.state === 'failed') {
            window.location.reload();
            return;
          }
          status.dataset.state = s.state;
          setTimeout(poll, 2000);
        })
        .catch(function () {
          setTimeout(poll, 5000);
        });
    };
    setTimeout(poll, 2000);
  }

  var upload = document.querySelector('form[data-upload]');
  if (upload) {
    upload.addEventListener('submit', function () {
      var note = upload.querySelector('[data-upload-status]');
      if (note) note.textContent = note.getAttribute('data-text');
    });
  }
})();

/*
 * Film upload (educators): Swedish messages before sending, then the upload with XMLHttpRequest so the
 * page shows progress in bytes and percent and, when the server refuses the file, its Swedish message
 * while the chosen file stays chosen. Without this the form posts normally and the server re-renders it.
 */
(function () {
  'use strict';

  function fill(template, values) {
    return template.replace(/\{\{(\w+)\}\}/g, function (m, key) {
      return key in values ? values[key] : m;
    });
  }

  function formatBytes(bytes) {
    var lang = document.documentElement.lang || 'sv';
    var one = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    if (bytes >= 1073741824) return one.format(bytes / 1073741824) + ' GB';
    if (bytes >= 1048576) return one.format(bytes / 1048576) + ' MB';
    return new Intl.NumberFormat(lang).format(Math.max(1, Math.round(bytes / 1024))) + ' kB';
  }

  /** The form's problems found before sending: [{ field, message }]. */
  function uploadProblems(form) {
    var d = form.dataset;
    var problems = [];
    var title = form.elements.title.value.trim();
    var slug = form.elements.slug.value.trim().toLowerCase();
    var file = form.elements.film.files[0];
    if (!title) problems.push({ field: 'title', message: d.msgTitle });
    if (!slug) problems.push({ field: 'slug', message: d.msgSlug });
    else if (slug.length > 80 || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug))
      problems.push({ field: 'slug', message: d.msgSlugInvalid });
    if (!file || file.size === 0) problems.push({ field: 'film', message: d.msgFilm });
    else if (file.size > Number(d.maxBytes)) problems.push({ field: 'film', message: d.msgTooLarge });
    return problems;
  }

  /** Shows problems as the server does: a summary that takes focus, and each message beside its field. */
  function showUploadProblems(form, box, problems) {
    Array.prototype.forEach.call(form.querySelectorAll('.field-error'), function (p) {
      p.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (el) {
      el.removeAttribute('aria-invalid');
      el.setAttribute(
        'aria-describedby',
        (el.getAttribute('aria-describedby') || '').replace(/\s*\S+-error/g, '').trim(),
      );
      el.closest('.field').classList.remove('field--error');
    });
    box.textContent = '';
    if (!problems.length) return;
    var summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.setAttribute('role', 'alert');
    summary.tabIndex = -1;
    var heading = document.createElement('h2');
    heading.textContent = form.dataset.summaryTitle;
    var list = document.createElement('ul');
    problems.forEach(function (p) {
      var input = form.elements[p.field];
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = '#' + p.field;
      link.textContent = p.message;
      item.appendChild(link);
      list.appendChild(item);
      if (!input || !input.closest) return;
      var message = document.createElement('p');
      message.className = 'field-error';
      message.id = p.field + '-error';
      var prefix = document.createElement('span');
      prefix.className = 'visually-hidden';
      prefix.textContent = form.dataset.errorPrefix;
      message.appendChild(prefix);
      message.appendChild(document.createTextNode(p.message));
      input.parentNode.insertBefore(message, input);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute(
        'aria-describedby',
        ((input.getAttribute('aria-describedby') || '') + ' ' + message.id).trim(),
      );
      input.closest('.field').classList.add('field--error');
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    box.appendChild(summary);
    summary.focus();
  }

  function enhanceUpload(form) {
    var box = document.querySelector('[data-upload-errors]');
    var progress = form.querySelector('[data-upload-progress]');
    var bar = progress.querySelector('progress');
    var bytes = progress.querySelector('[data-upload-bytes]');
    var status = form.querySelector('[data-upload-status]');
    var button = form.querySelector('button[type="submit"]');
    // This script guards against a second click itself, and must be able to let the person retry.
    button.removeAttribute('data-once');
    var busy = false;

    function fail(problems) {
      busy = false;
      button.disabled = false;
      progress.hidden = true;
      status.textContent = '';
      showUploadProblems(form, box, problems);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) return;
      var problems = uploadProblems(form);
      if (problems.length) {
        fail(problems);
        return;
      }
      showUploadProblems(form, box, []);
      var file = form.elements.film.files[0];
      var d = form.dataset;
      var announced = -1;
      busy = true;
      button.disabled = true;
      progress.hidden = false;
      bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        // The request is a little larger than the file (the other fields): show the file's bytes.
        var share = Math.min(1, e.loaded / e.total);
        var percent = Math.floor(share * 100);
        var text = fill(d.msgProgress, {
          loaded: formatBytes(file.size * share),
          total: formatBytes(file.size),
          percent: percent,
        });
        bar.value = percent;
        bar.textContent = percent + ' %';
        bytes.textContent = text;
        // A screen reader hears every tenth percent, not every event.
        if (Math.floor(percent / 10) !== announced) {
          announced = Math.floor(percent / 10);
          status.textContent = text;
        }
      });
      xhr.upload.addEventListener('load', function () {
        status.textContent = d.msgChecking;
      });
      xhr.addEventListener('load', function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          /* not JSON: an error page */
        }
        if (xhr.status >= 200 && xhr.status < 300 && answer && answer.location) {
          window.location.assign(answer.location);
          return;
        }
        var problems = [];
        if (answer && answer.errors)
          Object.keys(answer.errors).forEach(function (field) {
            problems.push({ field: field, message: answer.errors[field] });
          });
        fail(problems.length ? problems : [{ field: 'film', message: d.msgFailed }]);
      });
      xhr.addEventListener('error', function () {
        fail([{ field: 'film', message: d.msgFailed }]);
      });
      xhr.addEventListener('abort', function () {
        fail([{ field: 'film', message: d.msgFailed }]);
      });
      xhr.send(new FormData(form));
    });
  }

  var form = document.querySelector('form[data-upload]');
  if (form && window.XMLHttpRequest && window.FormData) enhanceUpload(form);
})();
