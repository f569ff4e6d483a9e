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
        if (t >= parseFloat(lines[i].getAttribute('data-start')) && t < parseFloat(lines[i].getAttribute('data-end'))) { found = lines[i]; break; }
      }
      if (found === current) return;
      if (current) { current.classList.remove('is-current'); current.querySelector('button').removeAttribute('aria-current'); }
      current = found;
      if (!current) return;
      current.classList.add('is-current');
      current.querySelector('button').setAttribute('aria-current', 'true');
      // Keep the current line in view inside the transcript box, without moving the page.
      var top = current.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top + current.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
    video.addEventListener('timeupdate', mark);
    video.addEventListener('seeked', mark);
  }

  Array.prototype.forEach.call(document.querySelectorAll('video[data-player]'), function (video) {
    showDefaultCaptions(video);
    video.addEventListener('loadedmetadata', function () { showDefaultCaptions(video); }, { once: true });
    var section = video.closest('section') || document;
    var speed = section.querySelector('[data-speed]');
    var wrap = section.querySelector('[data-speed-wrap]');
    if (speed && wrap) {
      wrap.hidden = false;
      var saved = window.localStorage && localStorage.getItem('film-rate');
      if (saved && speed.querySelector('option[value="' + saved + '"]')) { speed.value = saved; video.playbackRate = parseFloat(saved); }
      speed.addEventListener('change', function () {
        video.playbackRate = parseFloat(speed.value);
        try { localStorage.setItem('film-rate', speed.value); } catch (e) { /* private mode */ }
      });
      video.addEventListener('loadedmetadata', function () { video.playbackRate = parseFloat(speed.value); });
    }
    var box = document.getElementById(video.getAttribute('data-transcript'));
    if (box) setUpTranscript(video, box);
  });

  // The educator's film page: follow the job's state and progress, announced in a polite live region.
  var status = document.querySelector('[data-video-status]');
  if (status && window.fetch && (status.dataset.state === 'queued' || status.dataset.state === 'processing')) {
    var text = status.querySelector('[data-status-text]');
    var bar = status.querySelector('[data-progress]');
    var last = text.textContent.trim();
    var poll = function () {
      fetch(status.dataset.videoStatus, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (s) {
          if (!s) return;
          if (bar) { bar.value = s.progress; bar.textContent = s.progress + ' %'; }
          // Announce state changes, and progress only every 10 % so a screen reader is not flooded.
          var announce = s.state !== status.dataset.state || Math.floor(s.progress / 10) !== Math.floor((status.dataset.progress || 0) / 10);
          status.dataset.progress = s.progress;
          if (announce && s.text !== last) { text.textContent = s.text; last = s.text; }
          if (s.state === 'ready' || s.state === 'failed') { window.location.reload(); return; }
          status.dataset.state = s.state;
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
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
