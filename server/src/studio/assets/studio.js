// 委员工作室 public page: before a message is sent, find a nonce whose SHA-256 (with the page's
// challenge and the studio's id) starts with the number of zero bits the server asks. A person
// waits well under a second; a bot pays that for every message.
(function () {
  "use strict";
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Uint32Array(64);

  // The SHA-256 of bytes, as 8 words.
  function sha256(bytes) {
    var n = bytes.length, blocks = ((n + 9 + 63) >> 6), m = new Uint8Array(blocks * 64);
    m.set(bytes);
    m[n] = 0x80;
    var bits = n * 8;
    m[m.length - 4] = (bits >>> 24) & 255; m[m.length - 3] = (bits >>> 16) & 255;
    m[m.length - 2] = (bits >>> 8) & 255; m[m.length - 1] = bits & 255;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var off = 0; off < m.length; off += 64) {
      for (var i = 0; i < 16; i++) {
        var j = off + i * 4;
        W[i] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3];
      }
      for (i = 16; i < 64; i++) {
        var a = W[i - 15], b = W[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + W[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h0 = (h0 + A) | 0; h1 = (h1 + B) | 0; h2 = (h2 + C) | 0; h3 = (h3 + D) | 0;
      h4 = (h4 + E) | 0; h5 = (h5 + F) | 0; h6 = (h6 + G) | 0; h7 = (h7 + H) | 0;
    }
    return [h0, h1, h2, h3, h4, h5, h6, h7];
  }

  function zeroBits(words) {
    var z = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i] >>> 0;
      if (w === 0) { z += 32; continue; }
      return z + Math.clz32(w);
    }
    return z;
  }

  var form = document.getElementById("leave");
  if (!form) return;
  var status = document.getElementById("status");
  var encoder = new TextEncoder();
  var busy = false;
  form.addEventListener("submit", function (ev) {
    var nonce = form.elements.nonce;
    if (nonce.value) return; // found: this is the real submit
    ev.preventDefault();
    if (busy) return;
    busy = true;
    status.textContent = "正在提交，请稍候…";
    var prefix = form.dataset.challenge + ":" + form.dataset.studio + ":";
    var bits = parseInt(form.dataset.bits, 10);
    var i = 0;
    (function step() {
      for (var end = i + 20000; i < end; i++) {
        if (zeroBits(sha256(encoder.encode(prefix + i))) >= bits) {
          nonce.value = String(i);
          form.submit();
          return;
        }
      }
      setTimeout(step, 0);
    })();
  });
})();
