#include "sha1.hpp"

#include <cstring>
#include <string>

namespace frontdesk::crypto {
namespace {

constexpr std::size_t block_size = 64;

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

class Sha1 {
 public:
  void update(std::string_view data) {
    for (const char c : data) {
      block_[fill_++] = static_cast<std::uint8_t>(c);
      if (fill_ == block_size) {
        compress();
        fill_ = 0;
      }
    }
    length_bits_ += static_cast<std::uint64_t>(data.size()) * 8;
  }

  Sha1Digest finish() {
    const std::uint64_t total_bits = length_bits_;
    const char pad_start = static_cast<char>(0x80);
    update(std::string_view(&pad_start, 1));
    const char zero = 0;
    while (fill_ != block_size - 8) update(std::string_view(&zero, 1));
    for (int i = 7; i >= 0; --i) {
      block_[fill_++] = static_cast<std::uint8_t>(total_bits >> (i * 8));
    }
    compress();
    Sha1Digest digest{};
    for (std::size_t i = 0; i < 5; ++i) {
      for (std::size_t j = 0; j < 4; ++j) digest[i * 4 + j] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * j));
    }
    return digest;
  }

 private:
  void compress() {
    std::array<std::uint32_t, 80> w{};
    for (std::size_t t = 0; t < 16; ++t) {
      w[t] = static_cast<std::uint32_t>(block_[t * 4]) << 24 | static_cast<std::uint32_t>(block_[t * 4 + 1]) << 16 |
             static_cast<std::uint32_t>(block_[t * 4 + 2]) << 8 | static_cast<std::uint32_t>(block_[t * 4 + 3]);
    }
    for (std::size_t t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    auto [a, b, c, d, e] = state_;
    for (std::size_t t = 0; t < 80; ++t) {
      std::uint32_t f = 0;
      std::uint32_t k = 0;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
  }

  std::array<std::uint32_t, 5> state_{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::array<std::uint8_t, block_size> block_{};
  std::size_t fill_ = 0;
  std::uint64_t length_bits_ = 0;
};

std::string_view as_view(const Sha1Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace

Sha1Digest sha1(std::string_view data) {
  Sha1 hash;
  hash.update(data);
  return hash.finish();
}

Sha1Digest hmac_sha1(std::string_view key, std::string_view message) {
  std::array<char, block_size> padded_key{};
  if (key.size() > block_size) {
    const auto hashed = sha1(key);
    std::memcpy(padded_key.data(), hashed.data(), hashed.size());
  } else {
    std::memcpy(padded_key.data(), key.data(), key.size());
  }
  std::array<char, block_size> inner_pad{};
  std::array<char, block_size> outer_pad{};
  for (std::size_t i = 0; i < block_size; ++i) {
    inner_pad[i] = static_cast<char>(padded_key[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(padded_key[i] ^ 0x5c);
  }
  Sha1 inner;
  inner.update(std::string_view(inner_pad.data(), inner_pad.size()));
  inner.update(message);
  const auto inner_digest = inner.finish();
  Sha1 outer;
  outer.update(std::string_view(outer_pad.data(), outer_pad.size()));
  outer.update(as_view(inner_digest));
  return outer.finish();
}

}  // namespace frontdesk::crypto
