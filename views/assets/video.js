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

  // Captions drawn below the film, not over it: they never cover text burnt into the picture, and they
  // are at least as large as the page's body text (the browser's own captions were ~9 px on a phone).
  // In full screen the browser's own captions take over, since the box below is not visible there.
  function setUpCaptionBox(video, box, sizeSelect) {
    var current = null;
    var busy = false;
    function render() {
      var cues = current && current.activeCues ? Array.prototype.map.call(current.activeCues, function (c) { return c.text; }) : [];
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
      for (var i = 0; i < tracks.length; i++) if (tracks[i].mode === 'showing' || (tracks[i] === current && tracks[i].mode === 'hidden')) chosen = chosen || tracks[i];
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
      try { saved = localStorage.getItem('caption-size'); } catch (e) { /* private mode */ }
      if (saved && sizeSelect.querySelector('option[value="' + saved + '"]')) sizeSelect.value = saved;
      box.setAttribute('data-size', sizeSelect.value);
      sizeSelect.addEventListener('change', function () {
        box.setAttribute('data-size', sizeSelect.value);
        try { localStorage.setItem('caption-size', sizeSelect.value); } catch (e) { /* private mode */ }
      });
    }
    video.textTracks.addEventListener('change', function () { setTimeout(adopt, 0); });
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
    video.addEventListener('loadedmetadata', function () { showDefaultCaptions(video); if (adoptCaptions) adoptCaptions(); }, { once: true });
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
