#include "io/Npy.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"

namespace fs = std::filesystem;

namespace imuwb::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

struct DescrEntry {
  const char* descr;
  NpyDType dtype;
};
// Little-endian ('<'), native ('=') and byte-order-free ('|') spellings numpy writes.
constexpr DescrEntry kDescrs[] = {
    {"<f4", NpyDType::Float32}, {"=f4", NpyDType::Float32}, {"<f8", NpyDType::Float64},
    {"=f8", NpyDType::Float64}, {"<i8", NpyDType::Int64},   {"=i8", NpyDType::Int64},
    {"<i4", NpyDType::Int32},   {"=i4", NpyDType::Int32},   {"|i1", NpyDType::Int8},
    {"|u1", NpyDType::Uint8},   {"|b1", NpyDType::Bool},
};

std::size_t skipSpaces(const std::string& text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  return at;
}

// Finds the value text after 'key': in the header dict.
std::string valueOf(const std::string& header, const std::string& key, const std::string& where) {
  const std::string quoted[] = {"'" + key + "'", "\"" + key + "\""};
  std::size_t at = std::string::npos;
  for (const auto& q : quoted) {
    at = header.find(q);
    if (at != std::string::npos) {
      at += q.size();
      break;
    }
  }
  if (at == std::string::npos)
    throw Error(where, "the .npy header has no '" + key + "' entry",
                "the file is not a valid .npy");
  at = skipSpaces(header, at);
  if (at >= header.size() || header[at] != ':')
    throw Error(where, "the .npy header is malformed near '" + key + "'");
  at = skipSpaces(header, at + 1);
  std::size_t end = at;
  if (at < header.size() && header[at] == '(') {
    end = header.find(')', at);
    if (end == std::string::npos) throw Error(where, "the .npy header's shape is not closed");
    return header.substr(at, end - at + 1);
  }
  if (at < header.size() && (header[at] == '\'' || header[at] == '"')) {
    end = header.find(header[at], at + 1);
    if (end == std::string::npos) throw Error(where, "the .npy header has an unclosed string");
    return header.substr(at + 1, end - at - 1);
  }
  while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
  std::string value = header.substr(at, end - at);
  while (!value.empty() && value.back() == ' ') value.pop_back();
  return value;
}

std::vector<std::int64_t> parseShape(const std::string& text, const std::string& where) {
  std::vector<std::int64_t> shape;
  std::size_t at = 1;  // after '('
  while (at < text.size()) {
    at = skipSpaces(text, at);
    if (text[at] == ')') break;
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text.substr(at), &used);
    } catch (const std::exception&) {
      throw Error(where, "the .npy shape '" + text + "' is not a tuple of integers");
    }
    if (value < 0) throw Error(where, "the .npy shape has a negative dimension");
    shape.push_back(value);
    at = skipSpaces(text, at + used);
    if (at < text.size() && text[at] == ',') ++at;
  }
  return shape;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

std::string describeHeader(NpyDType dtype, const std::vector<std::int64_t>& shape) {
  std::string dims;
  for (std::size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";  // a 1-tuple needs its comma: (3,)
  return std::string("{'descr': '") + npyDescr(dtype) + "', 'fortran_order': False, 'shape': (" +
         dims + "), }";
}

}  // namespace

std::size_t npyItemSize(NpyDType dtype) {
  switch (dtype) {
    case NpyDType::Float32:
      return 4;
    case NpyDType::Float64:
      return 8;
    case NpyDType::Int64:
      return 8;
    case NpyDType::Int32:
      return 4;
    case NpyDType::Int8:
      return 1;
    case NpyDType::Uint8:
      return 1;
    case NpyDType::Bool:
      return 1;
  }
  return 1;
}

const char* npyDescr(NpyDType dtype) {
  switch (dtype) {
    case NpyDType::Float32:
      return "<f4";
    case NpyDType::Float64:
      return "<f8";
    case NpyDType::Int64:
      return "<i8";
    case NpyDType::Int32:
      return "<i4";
    case NpyDType::Int8:
      return "|i1";
    case NpyDType::Uint8:
      return "|u1";
    case NpyDType::Bool:
      return "|b1";
  }
  return "?";
}

std::int64_t NpyArray::elementCount() const {
  return npyElementCount(shape, "array");
}

std::int64_t npyElementCount(const std::vector<std::int64_t>& shape, const std::string& where) {
  const std::uint64_t limit = limits::value(limits::kTensorElements);
  std::uint64_t extent = 1;
  bool anyZero = false;
  for (auto dim : shape) {
    if (dim < 0) throw Error(where, "the .npy shape has a negative dimension");
    anyZero = anyZero || dim == 0;
    // Zero dimensions count as 1: (0, 2^62) must not start a loop over 2^62 empty rows.
    if (__builtin_mul_overflow(extent, static_cast<std::uint64_t>(dim ? dim : 1), &extent) ||
        extent > limit)
      throw Error(where,
                  "the .npy shape " + shapeText(shape) +
                      " claims more elements than the tensor_elements limit of " +
                      std::to_string(limit),
                  "the file is corrupt or hostile; if it is genuine, raise the limit with "
                  "IMUWB_LIMIT_TENSOR_ELEMENTS=N");
  }
  return anyZero ? 0 : static_cast<std::int64_t>(extent);
}

NpyArray readNpy(const fs::path& path) {
  const std::string where = path.string();
  // A FIFO or a device would block or never end; the size below bounds everything else.
  requireRegularFile(path, ".npy");
  std::error_code sizeError;
  const std::uintmax_t realSize = fs::file_size(path, sizeError);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(where, "cannot be opened", "check that the file exists and is readable");
  char prefix[10] = {};
  in.read(prefix, 8);
  if (in.gcount() < 8 || std::memcmp(prefix, kMagic, kMagicSize) != 0)
    throw Error(where, "is not a .npy file (no \\x93NUMPY magic)", "save it with numpy.save");
  const int major = static_cast<unsigned char>(prefix[6]);
  std::uint32_t headerLength = 0;
  std::size_t preamble = 0;
  if (major == 1) {
    unsigned char bytes[2];
    in.read(reinterpret_cast<char*>(bytes), 2);
    if (in.gcount() < 2) throw Error(where, "the .npy header is truncated");
    headerLength = bytes[0] | (bytes[1] << 8);
    preamble = 10;
  } else if (major == 2 || major == 3) {
    unsigned char bytes[4];
    in.read(reinterpret_cast<char*>(bytes), 4);
    if (in.gcount() < 4) throw Error(where, "the .npy header is truncated");
    headerLength = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (std::uint32_t(bytes[3]) << 24);
    preamble = 12;
  } else {
    throw Error(where, ".npy format version " + std::to_string(major) + " is not supported",
                "supported: 1.0, 2.0, 3.0 (numpy.save writes these)");
  }
  if (headerLength > (1u << 24) || (!sizeError && preamble + headerLength > realSize))
    throw Error(where,
                "the .npy header is truncated or implausible: it claims " +
                    std::to_string(headerLength) + " bytes (the file holds " +
                    std::to_string(realSize) + ", the limit is 16 MiB)",
                "the file is truncated or not a .npy");
  std::string header(headerLength, '\0');
  in.read(header.data(), headerLength);
  if (in.gcount() != static_cast<std::streamsize>(headerLength))
    throw Error(where, "the .npy header is truncated");

  const std::string descr = valueOf(header, "descr", where);
  NpyArray array;
  bool known = false;
  for (const auto& entry : kDescrs)
    if (descr == entry.descr) {
      array.dtype = entry.dtype;
      known = true;
    }
  if (!known)
    throw Error(where, "dtype '" + descr + "' is not supported",
                "supported: float32, float64, int64, int32, int8, uint8, bool (little endian); "
                "convert with arr.astype(np.float32)");
  const std::string fortran = valueOf(header, "fortran_order", where);
  if (fortran == "True")
    throw Error(where, "is stored in Fortran (column-major) order",
                "save a C-order copy: np.save(path, np.ascontiguousarray(arr))");
  if (fortran != "False") throw Error(where, "the .npy header's fortran_order is malformed");
  array.shape = parseShape(valueOf(header, "shape", where), where);

  // Checked against the limit and the file's real size before a byte is reserved.
  const std::int64_t count = npyElementCount(array.shape, where);
  const std::size_t bytes = static_cast<std::size_t>(count) * npyItemSize(array.dtype);
  const std::error_code ec = sizeError;
  const auto fileSize = realSize;
  const std::size_t dataStart = preamble + headerLength;
  if (!ec && fileSize < dataStart + bytes)
    throw Error(where,
                "is truncated: the header promises " + std::to_string(bytes) +
                    " data bytes, the "
                    "file holds " +
                    std::to_string(fileSize > dataStart ? fileSize - dataStart : 0),
                "copy or regenerate the file");
  if (!ec && fileSize > dataStart + bytes)
    throw Error(
        where,
        "has " + std::to_string(fileSize - dataStart - bytes) + " bytes after the array data",
        "the file is corrupt or not a plain .npy (an .npz?)");
  array.bytes.resize(bytes);
  in.read(reinterpret_cast<char*>(array.bytes.data()), static_cast<std::streamsize>(bytes));
  if (static_cast<std::size_t>(in.gcount()) != bytes)
    throw Error(where, "is truncated (data ends early)", "copy or regenerate the file");
  // numpy reads any nonzero byte of a bool array as True; store it as 1, since loading a byte
  // other than 0 or 1 as a C++ bool is undefined (the npy fuzzer's UBSan report).
  if (array.dtype == NpyDType::Bool)
    for (auto& byte : array.bytes) byte = std::byte{byte != std::byte{0}};
  return array;
}

void writeNpy(const fs::path& path, NpyDType dtype, const std::vector<std::int64_t>& shape,
              const void* data) {
  const std::int64_t count = npyElementCount(shape, path.string());
  const std::size_t bytes = static_cast<std::size_t>(count) * npyItemSize(dtype);
  std::string header = describeHeader(dtype, shape);
  // Pad so that magic + version + length + header (+ '\n') is a multiple of 64.
  auto build = [&](std::size_t preamble) {
    std::string padded = header;
    const std::size_t total = preamble + padded.size() + 1;
    padded.append((64 - total % 64) % 64, ' ');
    padded += '\n';
    return padded;
  };
  std::string body = build(10);
  const bool version2 = body.size() > 65535;
  if (version2) body = build(12);
  writeAtomically(path, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    if (!out) throw Error(temp.string(), "cannot be created", "check folder permissions");
    out.write(kMagic, kMagicSize);
    const char version[2] = {static_cast<char>(version2 ? 2 : 1), 0};
    out.write(version, 2);
    const std::uint32_t length = static_cast<std::uint32_t>(body.size());
    const char lengthBytes[4] = {
        static_cast<char>(length & 0xff), static_cast<char>((length >> 8) & 0xff),
        static_cast<char>((length >> 16) & 0xff), static_cast<char>((length >> 24) & 0xff)};
    out.write(lengthBytes, version2 ? 4 : 2);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (bytes) out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    closeWrittenStream(out, path, "the array");
  });
}

void writeNpy(const fs::path& path, const NpyArray& array) {
  if (array.bytes.size() !=
      static_cast<std::size_t>(array.elementCount()) * npyItemSize(array.dtype))
    throw Error(path.string(), "internal: array bytes do not match its shape");
  writeNpy(path, array.dtype, array.shape, array.bytes.data());
}

}  // namespace imuwb::io
