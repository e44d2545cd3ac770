/**
 * Test double of HailoRT 4.23.0's hailort.h (hailo-ai/hailort, branch hailo8, tag v4.23.0,
 * hailort/libhailort/include/hailo/hailort.h). Only the subset imuwb's hailort backend uses,
 * with the real names and numeric values. The status list is the real one, value for value.
 * HailoRT is Copyright (c) 2019-2025 Hailo Technologies Ltd., MIT license.
 **/
#ifndef _HAILORT_H_
#define _HAILORT_H_

#ifdef __cplusplus
extern "C" {
#endif

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HAILORTAPI

#define HAILO_MAX_ENUM (INT_MAX)
#define HAILO_INFINITE (UINT32_MAX)
#define HAILO_DEFAULT_BATCH_SIZE (0)
#define HAILO_DEFAULT_ASYNC_INFER_TIMEOUT_MS (10000)
#define HAILO_DEFAULT_ASYNC_INFER_QUEUE_SIZE (2)

typedef float float32_t;
typedef double float64_t;

/** HailoRT return codes */
#define HAILO_STATUS_VARIABLES\
    HAILO_STATUS__X(0,  HAILO_SUCCESS                                 /*!< Success - No error */)\
    HAILO_STATUS__X(1,  HAILO_UNINITIALIZED                           /*!< No error code was initialized */)\
    HAILO_STATUS__X(2,  HAILO_INVALID_ARGUMENT                        /*!< Invalid argument passed to function */)\
    HAILO_STATUS__X(3,  HAILO_OUT_OF_HOST_MEMORY                      /*!< Cannot allocate more memory at host */)\
    HAILO_STATUS__X(4,  HAILO_TIMEOUT                                 /*!< Received a timeout */)\
    HAILO_STATUS__X(5,  HAILO_INSUFFICIENT_BUFFER                     /*!< Buffer is insufficient */)\
    HAILO_STATUS__X(6,  HAILO_INVALID_OPERATION                       /*!< Invalid operation */)\
    HAILO_STATUS__X(7,  HAILO_NOT_IMPLEMENTED                         /*!< Code has not been implemented */)\
    HAILO_STATUS__X(8,  HAILO_INTERNAL_FAILURE                        /*!< Unexpected internal failure */)\
    HAILO_STATUS__X(9,  HAILO_DATA_ALIGNMENT_FAILURE                  /*!< Data is not aligned */)\
    HAILO_STATUS__X(10, HAILO_CHUNK_TOO_LARGE                         /*!< Chunk too large */)\
    HAILO_STATUS__X(11, HAILO_INVALID_LOGGER_LEVEL                    /*!< Used non-compiled level */)\
    HAILO_STATUS__X(12, HAILO_CLOSE_FAILURE                           /*!< Failed to close fd */)\
    HAILO_STATUS__X(13, HAILO_OPEN_FILE_FAILURE                       /*!< Failed to open file */)\
    HAILO_STATUS__X(14, HAILO_FILE_OPERATION_FAILURE                  /*!< File operation failure */)\
    HAILO_STATUS__X(15, HAILO_UNSUPPORTED_CONTROL_PROTOCOL_VERSION    /*!< Unsupported control protocol version */)\
    HAILO_STATUS__X(16, HAILO_UNSUPPORTED_FW_VERSION                  /*!< Unsupported firmware version */)\
    HAILO_STATUS__X(17, HAILO_INVALID_CONTROL_RESPONSE                /*!< Invalid control response */)\
    HAILO_STATUS__X(18, HAILO_FW_CONTROL_FAILURE                      /*!< Control failed in firmware */)\
    HAILO_STATUS__X(19, HAILO_ETH_FAILURE                             /*!< Ethernet operation has failed */)\
    HAILO_STATUS__X(20, HAILO_ETH_INTERFACE_NOT_FOUND                 /*!< Ethernet interface not found */)\
    HAILO_STATUS__X(21, HAILO_ETH_RECV_FAILURE                        /*!< Ethernet failed at recv operation */)\
    HAILO_STATUS__X(22, HAILO_ETH_SEND_FAILURE                        /*!< Ethernet failed at send operation */)\
    HAILO_STATUS__X(23, HAILO_INVALID_FIRMWARE                        /*!< Firmware bin is invalid */)\
    HAILO_STATUS__X(24, HAILO_INVALID_CONTEXT_COUNT                   /*!< Host build too many contexts */)\
    HAILO_STATUS__X(25, HAILO_INVALID_FRAME                           /*!< Part or all of the result data is invalid */)\
    HAILO_STATUS__X(26, HAILO_INVALID_HEF                             /*!< Invalid HEF */)\
    HAILO_STATUS__X(27, HAILO_PCIE_NOT_SUPPORTED_ON_PLATFORM          /*!< PCIe not supported on platform */)\
    HAILO_STATUS__X(28, HAILO_INTERRUPTED_BY_SIGNAL                   /*!< Blocking syscall was interrupted by a signal */)\
    HAILO_STATUS__X(29, HAILO_START_VDMA_CHANNEL_FAIL                 /*!< Starting VDMA channel failure */)\
    HAILO_STATUS__X(30, HAILO_SYNC_VDMA_BUFFER_FAIL                   /*!< Synchronizing VDMA buffer failure */)\
    HAILO_STATUS__X(31, HAILO_STOP_VDMA_CHANNEL_FAIL                  /*!< Stopping VDMA channel failure */)\
    HAILO_STATUS__X(32, HAILO_CLOSE_VDMA_CHANNEL_FAIL                 /*!< Closing VDMA channel failure */)\
    HAILO_STATUS__X(33, HAILO_ATR_TABLES_CONF_VALIDATION_FAIL         /*!< Validating address translation tables failure, for FW control use */)\
    HAILO_STATUS__X(34, HAILO_EVENT_CREATE_FAIL                       /*!< Creating event failure */)\
    HAILO_STATUS__X(35, HAILO_READ_EVENT_FAIL                         /*!< Reading event failure */)\
    HAILO_STATUS__X(36, HAILO_DRIVER_OPERATION_FAILED                 /*!< Driver operation (i.e ioctl) returned failure. Read driver log for more info (dmesg for linux) */)\
    HAILO_STATUS__X(37, HAILO_INVALID_FIRMWARE_MAGIC                  /*!< Invalid FW magic */)\
    HAILO_STATUS__X(38, HAILO_INVALID_FIRMWARE_CODE_SIZE              /*!< Invalid FW code size */)\
    HAILO_STATUS__X(39, HAILO_INVALID_KEY_CERTIFICATE_SIZE            /*!< Invalid key certificate size */)\
    HAILO_STATUS__X(40, HAILO_INVALID_CONTENT_CERTIFICATE_SIZE        /*!< Invalid content certificate size */)\
    HAILO_STATUS__X(41, HAILO_MISMATCHING_FIRMWARE_BUFFER_SIZES       /*!< FW buffer sizes mismatch */)\
    HAILO_STATUS__X(42, HAILO_INVALID_FIRMWARE_CPU_ID                 /*!< Invalid CPU ID in FW */)\
    HAILO_STATUS__X(43, HAILO_CONTROL_RESPONSE_MD5_MISMATCH           /*!< MD5 of control response does not match expected MD5 */)\
    HAILO_STATUS__X(44, HAILO_GET_CONTROL_RESPONSE_FAIL               /*!< Get control response failed */)\
    HAILO_STATUS__X(45, HAILO_GET_D2H_EVENT_MESSAGE_FAIL              /*!< Reading device-to-host message failure */)\
    HAILO_STATUS__X(46, HAILO_MUTEX_INIT_FAIL                         /*!< Mutex initialization failure */)\
    HAILO_STATUS__X(47, HAILO_OUT_OF_DESCRIPTORS                      /*!< Cannot allocate more descriptors */)\
    HAILO_STATUS__X(48, HAILO_UNSUPPORTED_OPCODE                      /*!< Unsupported opcode was sent to device */)\
    HAILO_STATUS__X(49, HAILO_USER_MODE_RATE_LIMITER_NOT_SUPPORTED    /*!< User mode rate limiter not supported on platform */)\
    HAILO_STATUS__X(50, HAILO_RATE_LIMIT_MAXIMUM_BANDWIDTH_EXCEEDED   /*!< Rate limit exceeded HAILO_DEFAULT_MAX_ETHERNET_BANDWIDTH_BYTES_PER_SEC */)\
    HAILO_STATUS__X(51, HAILO_ANSI_TO_UTF16_CONVERSION_FAILED         /*!< Failed converting ANSI string to UNICODE */)\
    HAILO_STATUS__X(52, HAILO_UTF16_TO_ANSI_CONVERSION_FAILED         /*!< Failed converting UNICODE string to ANSI */)\
    HAILO_STATUS__X(53, HAILO_UNEXPECTED_INTERFACE_INFO_FAILURE       /*!< Failed retrieving interface info */)\
    HAILO_STATUS__X(54, HAILO_UNEXPECTED_ARP_TABLE_FAILURE            /*!< Failed retrieving arp table */)\
    HAILO_STATUS__X(55, HAILO_MAC_ADDRESS_NOT_FOUND                   /*!< MAC address not found in the arp table */)\
    HAILO_STATUS__X(56, HAILO_NO_IPV4_INTERFACES_FOUND                /*!< No interfaces found with an IPv4 address */)\
    HAILO_STATUS__X(57, HAILO_SHUTDOWN_EVENT_SIGNALED                 /*!< A shutdown event has been signaled */)\
    HAILO_STATUS__X(58, HAILO_THREAD_ALREADY_ACTIVATED                /*!< The given thread has already been activated */)\
    HAILO_STATUS__X(59, HAILO_THREAD_NOT_ACTIVATED                    /*!< The given thread has not been activated */)\
    HAILO_STATUS__X(60, HAILO_THREAD_NOT_JOINABLE                     /*!< The given thread is not joinable */)\
    HAILO_STATUS__X(61, HAILO_NOT_FOUND                               /*!< Could not find element */)\
    HAILO_STATUS__X(62, HAILO_COMMUNICATION_CLOSED                    /*!< The communication between endpoints is closed */)\
    HAILO_STATUS__X(63, HAILO_STREAM_ABORT                            /*!< Stream recv/send was aborted */)\
    HAILO_STATUS__X(64, HAILO_DRIVER_NOT_INSTALLED                    /*!< Driver is not installed/running on the system. */)\
    HAILO_STATUS__X(65, HAILO_NOT_AVAILABLE                           /*!< Component is not available */)\
    HAILO_STATUS__X(66, HAILO_TRAFFIC_CONTROL_FAILURE                 /*!< Traffic control failure */)\
    HAILO_STATUS__X(67, HAILO_INVALID_SECOND_STAGE                    /*!< Second stage bin is invalid */)\
    HAILO_STATUS__X(68, HAILO_INVALID_PIPELINE                        /*!< Pipeline is invalid */)\
    HAILO_STATUS__X(69, HAILO_NETWORK_GROUP_NOT_ACTIVATED             /*!< Network group is not activated */)\
    HAILO_STATUS__X(70, HAILO_VSTREAM_PIPELINE_NOT_ACTIVATED          /*!< VStream pipeline is not activated */)\
    HAILO_STATUS__X(71, HAILO_OUT_OF_FW_MEMORY                        /*!< Cannot allocate more memory at fw */)\
    HAILO_STATUS__X(72, HAILO_STREAM_NOT_ACTIVATED                    /*!< Stream is not activated */)\
    HAILO_STATUS__X(73, HAILO_DEVICE_IN_USE                           /*!< The device is already in use */)\
    HAILO_STATUS__X(74, HAILO_OUT_OF_PHYSICAL_DEVICES                 /*!< There are not enough physical devices */)\
    HAILO_STATUS__X(75, HAILO_INVALID_DEVICE_ARCHITECTURE             /*!< Invalid device architecture */)\
    HAILO_STATUS__X(76, HAILO_INVALID_DRIVER_VERSION                  /*!< Invalid driver version */)\
    HAILO_STATUS__X(77, HAILO_RPC_FAILED                              /*!< RPC failed */)\
    HAILO_STATUS__X(78, HAILO_INVALID_SERVICE_VERSION                 /*!< Invalid service version */)\
    HAILO_STATUS__X(79, HAILO_NOT_SUPPORTED                           /*!< Not supported operation */)\
    HAILO_STATUS__X(80, HAILO_NMS_BURST_INVALID_DATA                  /*!< Invalid data in NMS burst */)\
    HAILO_STATUS__X(81, HAILO_OUT_OF_HOST_CMA_MEMORY                  /*!< Cannot allocate more CMA memory at host */)\
    HAILO_STATUS__X(82, HAILO_QUEUE_IS_FULL                           /*!< Cannot push more items into the queue */)\
    HAILO_STATUS__X(83, HAILO_DMA_MAPPING_ALREADY_EXISTS              /*!< DMA mapping already exists */)\
    HAILO_STATUS__X(84, HAILO_CANT_MEET_BUFFER_REQUIREMENTS           /*!< can't meet buffer requirements */)\
    HAILO_STATUS__X(85, HAILO_DRIVER_INVALID_RESPONSE                 /*!< Driver returned invalid response. Make sure the driver version is the same as libhailort  */)\
    HAILO_STATUS__X(86, HAILO_DRIVER_INVALID_IOCTL                    /*!< Driver cannot handle ioctl. Can happen on libhailort vs driver version mismatch or when ioctl function is not supported */)\
    HAILO_STATUS__X(87, HAILO_DRIVER_TIMEOUT                          /*!< Driver operation returned a timeout. Device reset may be required. */)\
    HAILO_STATUS__X(88, HAILO_DRIVER_INTERRUPTED                      /*!< Driver operation interrupted by system request (i.e can happen on application exit) */)\
    HAILO_STATUS__X(89, HAILO_CONNECTION_REFUSED                      /*!< Connection was refused by other side */)\
    HAILO_STATUS__X(90, HAILO_DRIVER_WAIT_CANCELED                    /*!< Driver operation was canceled */)\
    HAILO_STATUS__X(91, HAILO_HEF_FILE_CORRUPTED                      /*!< HEF file is corrupted */)\
    HAILO_STATUS__X(92, HAILO_HEF_NOT_SUPPORTED                       /*!< HEF file is not supported. Make sure the DFC version is compatible. */)\
    HAILO_STATUS__X(93, HAILO_HEF_NOT_COMPATIBLE_WITH_DEVICE          /*!< HEF file is not compatible with device. */)\

typedef enum {
#define HAILO_STATUS__X(value, name) name = value,
    HAILO_STATUS_VARIABLES
#undef HAILO_STATUS__X

    /** Must be last! */
    HAILO_STATUS_COUNT,

    /** Max enum value to maintain ABI Integrity */
    HAILO_STATUS_MAX_ENUM                       = HAILO_MAX_ENUM
} hailo_status;

/** HailoRT library version */
typedef struct {
    uint32_t major;
    uint32_t minor;
    uint32_t revision;
} hailo_version_t;

typedef enum {
    HAILO_FORMAT_TYPE_AUTO                  = 0,
    HAILO_FORMAT_TYPE_UINT8                 = 1,
    HAILO_FORMAT_TYPE_UINT16                = 2,
    HAILO_FORMAT_TYPE_FLOAT32               = 3,
    HAILO_FORMAT_TYPE_MAX_ENUM              = HAILO_MAX_ENUM
} hailo_format_type_t;
typedef enum {
    HAILO_FORMAT_ORDER_AUTO                             = 0,
    HAILO_FORMAT_ORDER_NHWC                             = 1,
    HAILO_FORMAT_ORDER_NHCW                             = 2,
    HAILO_FORMAT_ORDER_FCR                              = 3,
    HAILO_FORMAT_ORDER_F8CR                             = 4,
    HAILO_FORMAT_ORDER_NHW                              = 5,
    HAILO_FORMAT_ORDER_NC                               = 6,
    HAILO_FORMAT_ORDER_BAYER_RGB                        = 7,
    HAILO_FORMAT_ORDER_12_BIT_BAYER_RGB                 = 8,
    HAILO_FORMAT_ORDER_HAILO_NMS                        = 9,
    HAILO_FORMAT_ORDER_RGB888                           = 10,
    HAILO_FORMAT_ORDER_NCHW                             = 11,
    HAILO_FORMAT_ORDER_YUY2                             = 12,
    HAILO_FORMAT_ORDER_NV12                             = 13,
    HAILO_FORMAT_ORDER_NV21                             = 14,
    HAILO_FORMAT_ORDER_HAILO_YYUV                       = 15,
    HAILO_FORMAT_ORDER_HAILO_YYVU                       = 16,
    HAILO_FORMAT_ORDER_RGB4                             = 17,
    HAILO_FORMAT_ORDER_I420                             = 18,
    HAILO_FORMAT_ORDER_HAILO_YYYYUV                     = 19,
    HAILO_FORMAT_ORDER_HAILO_NMS_WITH_BYTE_MASK         = 20,
    HAILO_FORMAT_ORDER_HAILO_NMS_ON_CHIP                = 21,
    HAILO_FORMAT_ORDER_HAILO_NMS_BY_CLASS               = 22,
    HAILO_FORMAT_ORDER_HAILO_NMS_BY_SCORE               = 23,
    HAILO_FORMAT_ORDER_MAX_ENUM             = HAILO_MAX_ENUM
} hailo_format_order_t;
typedef enum {
    HAILO_FORMAT_FLAGS_NONE                 = 0,
    HAILO_FORMAT_FLAGS_QUANTIZED            = 1 << 0,
    HAILO_FORMAT_FLAGS_TRANSPOSED           = 1 << 1,
    HAILO_FORMAT_FLAGS_MAX_ENUM             = HAILO_MAX_ENUM
} hailo_format_flags_t;

/** Hailo data format */
typedef struct {
    hailo_format_type_t type;
    hailo_format_order_t order;
    hailo_format_flags_t flags;
} hailo_format_t;

/** Quantization information: output = (q - qp_zp) * qp_scale; input q = x / qp_scale + qp_zp. */
typedef struct {
    float32_t qp_zp;
    float32_t qp_scale;
    float32_t limvals_min;
    float32_t limvals_max;
} hailo_quant_info_t;

/** Image shape */
typedef struct {
    uint32_t height;
    uint32_t width;
    uint32_t features;
} hailo_3d_image_shape_t;

/* The real library exports these two; the fake defines them inline, so a test binary never
   carries a second definition of a libhailort symbol. */
static inline hailo_status hailo_get_library_version(hailo_version_t *version)
{
    if (version == NULL) {
        return HAILO_INVALID_ARGUMENT;
    }
    version->major = 4;
    version->minor = 23;
    version->revision = 0;
    return HAILO_SUCCESS;
}

/* Returns the status's name ("HAILO_TIMEOUT"), as libhailort's hailo_status_msg_format does. */
static inline const char *hailo_get_status_message(hailo_status status)
{
    static const char *names[] = {
#define HAILO_STATUS__X(value, name) #name,
        HAILO_STATUS_VARIABLES
#undef HAILO_STATUS__X
    };
    if ((int)status < 0 || status >= HAILO_STATUS_COUNT) {
        return NULL;
    }
    return names[status];
}

#ifdef __cplusplus
}
#endif

#endif /* _HAILORT_H_ */
